const Anon = class { async m() { return 'anon'; } };
const Named = class Inner { async m() { return Inner.name; } };
const factory = () => class extends Named { async m() { return 'sub of ' + (await super.m()); } };
const Made = factory();
(async () => {
  console.log(Anon.name, Named.name, Made.name, await new Anon().m(), await new Named().m(), await new Made().m());
  console.log(String(Anon));
})();
