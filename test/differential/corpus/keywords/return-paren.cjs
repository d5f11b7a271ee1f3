async function f(p) {
  return(p);
}
function sync(x) {
  return(x * 2);
}
async function h() {
  return(await f(Promise.resolve(3)))+(sync(4));
}
h().then((v) => console.log('return(...) gives', v));
