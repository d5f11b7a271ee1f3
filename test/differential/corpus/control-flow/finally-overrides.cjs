async function returnOverridesThrow() {
  try { throw new Error('lost'); } finally { return 'finally wins'; }
}
async function throwOverridesReturn() {
  try { return 'lost'; } finally { await null; throw new Error('finally throws'); }
}
async function rejectedReturnNotCaught() {
  try {
    return Promise.reject(new Error('returned rejection passes the catch'));
  } catch (e) {
    return 'never: ' + e.message;
  }
}
async function rejectedReturnAwaitCaught() {
  try {
    return await Promise.reject(new Error('awaited'));
  } catch (e) {
    return 'caught ' + e.message;
  }
}
(async () => {
  for (const f of [returnOverridesThrow, throwOverridesReturn, rejectedReturnNotCaught, rejectedReturnAwaitCaught]) {
    try { console.log(f.name, 'ok', await f()); } catch (e) { console.log(f.name, 'rejected', e.message); }
  }
})();
