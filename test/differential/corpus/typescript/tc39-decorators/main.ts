const events: string[] = [];
function logged<This, Args extends unknown[], Return>(
  method: (this: This, ...args: Args) => Return,
  context: ClassMethodDecoratorContext<This, (this: This, ...args: Args) => Return>,
) {
  events.push(`decorate ${String(context.name)} (${context.kind}, static=${context.static}, private=${context.private})`);
  context.addInitializer(function () {
    events.push(`initializer for ${String(context.name)}`);
  });
  return function (this: This, ...args: Args): Return {
    events.push(`call ${String(context.name)}`);
    return method.call(this, ...args);
  };
}
function tagged<T extends abstract new (...args: any) => any>(value: T, context: ClassDecoratorContext<T>) {
  events.push(`class ${String(context.name)}`);
  return value;
}
function doubled(_: undefined, context: ClassFieldDecoratorContext) {
  events.push(`field ${String(context.name)}`);
  return (initial: number) => initial * 2;
}
function watched<T, V>(target: ClassAccessorDecoratorTarget<T, V>, context: ClassAccessorDecoratorContext<T, V>) {
  events.push(`accessor ${String(context.name)}`);
  return {
    get(this: T) { const v = target.get.call(this); events.push(`get ${String(context.name)} = ${v}`); return v; },
    set(this: T, v: V) { events.push(`set ${String(context.name)} = ${v}`); target.set.call(this, v); },
  };
}

@tagged
class Service {
  @doubled size = 21;
  @watched accessor mode = 'idle';
  @logged
  async run(task: string) {
    await null;
    this.mode = 'busy';
    return `${task} done at size ${this.size} in mode ${this.mode}`;
  }
  @logged
  static async version() { return '1.0'; }
}
const s = new Service();
s.run('job').then(async (r) => {
  console.log(r, await Service.version());
  console.log(events.join('\n'));
});
