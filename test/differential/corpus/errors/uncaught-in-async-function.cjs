async function load(id) {
  await new Promise((r) => setTimeout(r, 5));
  throw new Error(`cannot load ${id}`);
}
async function main() {
  await load(7);
}
main();
