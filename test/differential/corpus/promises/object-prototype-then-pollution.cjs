// Every object is a thenable once Object.prototype has a `then`.
let calls = 0;
Object.defineProperty(Object.prototype, 'then', {
  configurable: true,
  value: function (resolve) { calls++; delete Object.prototype.then; resolve('polluted'); },
  writable: true,
});
(async () => {
  const v = await {};
  console.log('await {} gave', v, 'calls', calls);
})();
