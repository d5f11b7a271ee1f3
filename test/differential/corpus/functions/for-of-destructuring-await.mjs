const rows = [{ id: 1, tags: ['a'] }, { id: 2 }];
for (const { id, tags: [tag = await Promise.resolve('none')] = [] } of rows) console.log(id, tag);
for await (const [k, v] of Object.entries({ x: Promise.resolve(1), y: 2 })) console.log(k, await v);
let a, b;
({ a, b = await Promise.resolve('b default') } = { a: 'A' });
[a, b] = [await Promise.resolve(b), a];
console.log(a, b);
