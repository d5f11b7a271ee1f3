class Base {
  value: unknown = 'base value';
  constructor() { this.init(); }
  init() {}
}
class WithDeclare extends Base {
  declare value: string;
}
class WithPlainField extends Base {
  value!: string;
}
class SetInInit extends Base {
  extra?: string;
  init() { this.extra = 'set in init'; }
}
(async () => {
  await null;
  console.log(new WithDeclare().value, new WithPlainField().value, new SetInInit().extra);
  console.log(Object.keys(new WithDeclare()), Object.keys(new SetInInit()));
})();
