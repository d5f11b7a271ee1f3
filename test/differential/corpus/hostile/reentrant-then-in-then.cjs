// A thenable whose then awaits another thenable, recursively, settles after a fixed number of jobs.
let depth = 0;
const make = (n) => ({ then(resolve) { depth++; resolve(n === 0 ? 'bottom' : make(n - 1)); } });
(async () => {
  const v = await make(5);
  console.log(v, 'then calls', depth);
})();
