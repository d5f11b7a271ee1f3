const base = { async hello() { await null; return 'base hello'; } };
const child = {
  __proto__: base,
  async hello() { return 'child + ' + (await super.hello()); },
};
console.log(await child.hello(), Object.getPrototypeOf(child) === base);
const proto = await Promise.resolve({ greet: () => 'from awaited proto' });
const made = { __proto__: proto };
const notProto = { ['__proto__']: 1 };
const __proto__ = 'shorthand';
const shorthand = { __proto__ };
console.log(made.greet(), Object.keys(notProto), Object.getPrototypeOf(shorthand) === Object.prototype, shorthand.__proto__);
