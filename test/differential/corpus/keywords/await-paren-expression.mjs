const values = [await(1), await(Promise.resolve(2)), await (3)];
const sum = await(Promise.resolve(values)).then((v) => v.reduce((a, b) => a + b));
console.log(values, sum);
async function inner() {
  const obj = { a: await(Promise.resolve('a')) };
  return await(obj).a;
}
console.log(await inner());
