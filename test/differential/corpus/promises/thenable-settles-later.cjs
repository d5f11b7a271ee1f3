const delayedThenable = (v, ms) => ({ then(resolve) { console.log('then called for', v); setTimeout(() => resolve(v), ms); } });
async function returnsThenable() {
  console.log('start');
  return delayedThenable('after 80 ms', 80);
}
async function awaitsThenable() {
  return 'awaited ' + (await delayedThenable('after 40 ms', 40));
}
(async () => {
  const [a, b] = await Promise.all([returnsThenable(), awaitsThenable()]);
  console.log(a, '|', b);
})();
