function twice() { return 'first'; }
async function twice() { return 'second, async'; }
var re = 1;
async function re2() {}
console.log(twice() instanceof Promise);
twice().then((v) => console.log(v));
console.log(typeof re, typeof re2);
