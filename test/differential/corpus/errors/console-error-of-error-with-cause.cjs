async function fetchConfig() {
  await null;
  try {
    JSON.parse('{bad json');
  } catch (cause) {
    throw new Error('config unreadable', { cause });
  }
}
fetchConfig().catch((e) => {
  const first = (err) => err.stack.split('\n').slice(0, 2).join('\n');
  console.error(first(e));
  console.error('cause:', e.cause.name, e.cause.message);
  console.log(Object.keys(e), 'cause' in e);
});
