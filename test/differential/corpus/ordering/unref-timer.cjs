const t = setTimeout(() => console.log('never printed: unref timer does not keep the process alive'), 500);
t.unref();
console.log('hasRef', t.hasRef());
setTimeout(() => console.log('ref timer fires'), 20);
const i = setInterval(() => {}, 1000);
i.unref();
console.log(typeof t[Symbol.toPrimitive], typeof i.ref);
