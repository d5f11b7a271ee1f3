async function f() {
  return
  await Promise.resolve('never');
}
function g() {
  return
  42;
}
async function h() {
  let x = 1
  let y = x
  ;[x, y] = [y + 1, x + 2]
  return x + y
}
Promise.all([f(), h()]).then((r) => console.log(r, g()));
