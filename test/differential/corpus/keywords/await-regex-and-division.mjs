const a = await /ab+/.test('abbb');
const b = 10 / await Promise.resolve(2) / 5;
const c = (await 'x/y/z').split('/').length;
const re = await /\/(?<name>\w+)/.exec('path/file');
console.log(a, b, c, re.groups.name);
