'use strict'
const f = async () => { await null; return 'esm with directive'; };
console.log(await f());
