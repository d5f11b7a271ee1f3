"use strict"
async function f() { return typeof this; }
f().then((t) => console.log('this is', t));
