const t = setTimeout(() => {}, 10);
const i = setImmediate(() => {});
console.log(t.constructor.name, i.constructor.name, typeof t.ref, typeof t.refresh, t.hasRef(), typeof +t);
console.log(Object.keys(t).sort());
clearTimeout(t);
const n = +setTimeout(() => console.log('cleared by number id?'), 5);
clearTimeout(n);
setTimeout(() => console.log('done'), 20);
