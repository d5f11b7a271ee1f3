let thenCalls = 0;
const lazy = (v) => ({ then(resolve) { thenCalls++; resolve(v); } });
const iterable = {
  [Symbol.asyncIterator]() {
    let i = 0;
    return {
      next() { i++; return i <= 3 ? lazy({ value: i, done: false }) : Promise.resolve({ value: undefined, done: true }); },
      return() { console.log('return called'); return Promise.resolve({ done: true }); },
    };
  },
};
(async () => {
  for await (const v of iterable) console.log('value', v);
  for await (const v of iterable) { console.log('first only', v); break; }
  console.log('then calls', thenCalls);
})();
