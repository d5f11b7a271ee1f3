const timers = require('node:timers');
const util = require('node:util');
console.log(setTimeout === timers.setTimeout, setImmediate === timers.setImmediate, setInterval === timers.setInterval, clearTimeout === timers.clearTimeout);
for (const fn of [setTimeout, setImmediate, setInterval, clearTimeout, queueMicrotask, Promise, Promise.prototype.then, Promise.all, fetch]) {
  console.log(fn.name, fn.length, String(fn).includes('[native code]') ? 'native' : String(fn).slice(0, 40).replace(/\s+/g, ' '));
}
console.log(typeof setTimeout[util.promisify.custom], typeof setImmediate[util.promisify.custom]);
const d = Object.getOwnPropertyDescriptor(globalThis, 'setTimeout');
console.log('setTimeout descriptor', d.writable, d.enumerable, d.configurable, 'get' in d && d.get !== undefined);
