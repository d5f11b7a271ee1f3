const calls: string[] = [];
function sealed(constructor: Function) {
  calls.push(`class ${constructor.name}`);
  Object.seal(constructor);
}
function log(prefix: string) {
  return function (target: any, key: string, descriptor: PropertyDescriptor) {
    calls.push(`method ${key} on ${typeof target === 'function' ? 'static' : 'prototype'}`);
    const original = descriptor.value;
    descriptor.value = async function (this: unknown, ...args: unknown[]) {
      console.log(prefix, key, 'called with', args);
      const result = await original.apply(this, args);
      console.log(prefix, key, 'returned', result);
      return result;
    };
  };
}
function field(target: any, key: string) {
  calls.push(`field ${key}`);
}
function param(target: any, key: string, index: number) {
  calls.push(`param ${index} of ${key}`);
}

@sealed
class Greeter {
  @field greeting = 'hello';
  constructor(@param greetingParam?: string) {}
  @log('[greeter]')
  async greet(name: string) {
    await new Promise((r) => setTimeout(r, 5));
    return `${this.greeting}, ${name}`;
  }
  @log('[static]')
  static async create() {
    return new Greeter();
  }
}
console.log(calls);
(async () => {
  const g = await Greeter.create();
  console.log(await g.greet('world'), Object.isSealed(Greeter));
})();
