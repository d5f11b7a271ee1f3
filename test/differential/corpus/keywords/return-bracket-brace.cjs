async function arr() {
  return[await 1, 2];
}
async function obj() {
  return{ a: await 1, b: 2 };
}
function syncArr() { return[3] }
function syncObj() { return{c:4} }
Promise.all([arr(), obj()]).then(([a, o]) => console.log(a, o, syncArr(), syncObj()));
