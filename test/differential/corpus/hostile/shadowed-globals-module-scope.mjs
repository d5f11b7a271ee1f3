const Promise = globalThis.Promise;
let Symbol = 'module-level Symbol shadow';
var Reflect = { note: 'module-level Reflect shadow' };
function Error(message) { this.message = 'fake ' + message; }
const console2 = console;
async function work() {
  await null;
  return typeof Symbol + ' ' + typeof Reflect + ' ' + new Error('e').message;
}
console2.log(await work(), Promise === globalThis.Promise);
