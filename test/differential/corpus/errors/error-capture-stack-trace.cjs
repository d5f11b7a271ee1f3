function hide() {
  const holder = {};
  Error.captureStackTrace(holder, hide);
  return holder.stack.split('\n')[1].trim();
}
async function caller() {
  await null;
  return hide();
}
caller().then((frame) => console.log(frame.replace(__dirname, '<dir>')));
console.log(Error.stackTraceLimit, typeof Error.prepareStackTrace, typeof Error.captureStackTrace);
