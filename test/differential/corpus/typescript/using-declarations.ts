class Resource {
  constructor(private name: string) { console.log('open', name); }
  [Symbol.dispose]() { console.log('dispose', this.name); }
}
class AsyncResource {
  constructor(private name: string) { console.log('open async', name); }
  async [Symbol.asyncDispose]() { await null; console.log('async dispose', this.name); }
}
async function work() {
  using a = new Resource('a');
  await using b = new AsyncResource('b');
  {
    using c = new Resource('c');
    console.log('inner block');
  }
  console.log('end of work');
  return 'worked';
}
work().then((r) => console.log(r));
