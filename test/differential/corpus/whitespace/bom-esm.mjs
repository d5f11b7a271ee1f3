const v = await Promise.resolve('BOM in ESM');
console.log(v);
