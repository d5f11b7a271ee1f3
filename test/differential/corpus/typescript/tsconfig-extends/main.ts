function mark(target: any, key: string) {
  console.log('legacy property decorator for', key, 'target is prototype:', typeof target === 'object');
}
class Base { value = 'base'; }
class Derived extends Base {
  @mark value!: string;
}
(async () => { await null; console.log('value', new Derived().value); })();
