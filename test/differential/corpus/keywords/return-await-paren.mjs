const later = (v) => new Promise((resolve) => setTimeout(resolve, 5, v));
async function f(x) {
  return await(later(x));
}
async function g(x) {
  return await(x)+1;
}
console.log(await f('paren'), await g(41));
