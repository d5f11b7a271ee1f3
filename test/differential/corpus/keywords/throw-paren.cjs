async function f() {
  await null;
  throw(new Error('thrown with parens'));
}
function g() {
  throw{ message: 'object thrown' };
}
f().catch((e) => {
  console.log(e.message);
  try { g(); } catch (o) { console.log(o.message); }
});
