function* numbers() {
  yield(1);
  yield(2)+(3);
  const got = yield([4, 5]);
  yield* (['star', got]);
}
async function* asyncNumbers() {
  yield(await Promise.resolve('a'));
  yield(Promise.resolve('b'));
  yield*(numbers());
}
(async () => {
  const it = numbers();
  console.log(it.next().value, it.next().value, it.next().value, it.next('sent').value, it.next().value);
  for await (const v of asyncNumbers()) console.log('async', v);
})();
