function async(x) { return 'called async(' + x + ')'; }
console.log(async(1));
const obj = { async: 2, await: 3, async method() { return 'm'; }, get async2() { return 'g'; } };
console.log(obj.async, obj.await, obj.async2);
obj.method().then((v) => console.log('method', v));
var await = 5;
console.log('await as sloppy identifier', await + 1);
const of = [1, 2];
for (const x of of) console.log('of', x);
let yield_ = 0;
var let_ = 'let', yieldVar = 'yield';
console.log(let_, yieldVar, yield_);
