const user = async (id) => ({ id, name: `user${id}` });
const tag = (strings, ...values) => strings.raw.join('|') + ' :: ' + values.join(',');
console.log(`Hello ${(await user(1)).name}, and ${(await user(2)).name}!`);
console.log(tag`a${await user(3).then((u) => u.id)}b${await Promise.resolve('c')}\n`);
console.log(`nested ${`inner ${await Promise.resolve('deep')}`}`);
const multi = `line1
${await Promise.resolve('line2')}
line3`;
console.log(multi.split('\n').length);
