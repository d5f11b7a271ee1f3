async function load(id) {
  await null;
  throw new TypeError(`bad id ${id}`);
}
await load('x');
