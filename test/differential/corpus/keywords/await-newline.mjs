async function f() {
  const x = await
    Promise.resolve(5);
  const y = await
  (6);
  return x + y;
}
console.log(await
  f());
