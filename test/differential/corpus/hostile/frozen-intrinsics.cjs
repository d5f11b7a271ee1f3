Object.freeze(Promise.prototype);
Object.freeze(Promise);
Object.freeze(Function.prototype);
async function f() { await null; return 'frozen intrinsics still work'; }
f().then((v) => console.log(v, Object.isFrozen(Promise.prototype)));
