const bad = { get then() { throw new Error('then getter throws'); } };
const bad2 = { then() { throw new Error('then method throws'); } };
const bad3 = { then(resolve) { resolve('resolved first'); throw new Error('ignored after resolve'); } };
(async () => {
  for (const v of [bad, bad2, bad3]) {
    try { console.log('value', await v); } catch (e) { console.log('caught', e.message); }
  }
})();
