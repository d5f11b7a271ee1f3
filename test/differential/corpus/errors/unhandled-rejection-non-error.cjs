async function f() { await null; throw 'a plain string'; }
f();
