const sleep = (ms, v) => new Promise((r) => setTimeout(r, ms, v));
async function cleanup(label) { await sleep(30); console.log('cleanup', label); }
async function work() {
  try {
    return sleep(40, 'value from try');
  } finally {
    await cleanup('work');
  }
}
async function workAwaited() {
  try {
    return await sleep(40, 'awaited value');
  } finally {
    await cleanup('workAwaited');
  }
}
console.log(await work());
console.log(await workAwaited());
