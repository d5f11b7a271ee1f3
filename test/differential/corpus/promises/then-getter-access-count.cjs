let gets = 0;
const value = {};
Object.defineProperty(value, 'then', { get() { gets++; return undefined; } });
async function returnsObject() { return value; }
async function awaitsObject() { return await value; }
(async () => {
  await returnsObject();
  console.log('then read after return', gets);
  gets = 0;
  await awaitsObject();
  console.log('then read after await', gets);
  gets = 0;
  await Promise.resolve(value);
  console.log('then read by Promise.resolve', gets);
})();
