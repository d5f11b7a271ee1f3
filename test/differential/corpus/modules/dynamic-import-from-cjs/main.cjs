async function main() {
  const mod = await import('./esm.mjs');
  console.log(mod.value, await mod.default(), mod.default.name, Object.keys(mod));
  const builtin = await import('node:path');
  console.log(typeof builtin.join, typeof builtin.default.join);
}
main();
