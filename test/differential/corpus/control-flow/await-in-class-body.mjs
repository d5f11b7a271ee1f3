const key = async () => 'dynamicKey';
async function makeClass() {
  const base = await Promise.resolve(class { base() { return 'base'; } });
  return class extends base {
    [await key()]() { return 'computed by await'; }
    static [await Promise.resolve('s')] = 'static value';
  };
}
const K = await makeClass();
console.log(new K().dynamicKey(), new K().base(), K.s);
