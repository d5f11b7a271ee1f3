const order = [];
async function returnsPromise() { return Promise.resolve('returned'); }
async function returnsAwait() { return await Promise.resolve('awaited'); }
async function plain() { return 'plain'; }
returnsPromise().then((v) => order.push(v));
returnsAwait().then((v) => order.push(v));
plain().then((v) => order.push(v));
Promise.resolve().then(() => order.push('t1')).then(() => order.push('t2')).then(() => order.push('t3')).then(() => order.push('t4'));
setImmediate(() => console.log(order.join(' < ')));
