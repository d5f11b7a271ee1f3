// A polluted Array.prototype / Object.prototype must not break code inserted into the program.
Array.prototype.push = function () { throw new Error('push is poisoned'); };
Object.prototype.polluted = 'yes';
Function.prototype.apply = function () { throw new Error('apply is poisoned'); };
async function f(a) { await null; return a * 2; }
const g = async (...args) => args.length;
Promise.all([f(2), g(1, 2, 3)]).then((r) => console.log(r.join(' '), {}.polluted));
