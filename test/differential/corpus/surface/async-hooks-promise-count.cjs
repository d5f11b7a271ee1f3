// APMs count async resources: promises a profiler creates for its own bookkeeping show up here.
const async_hooks = require('node:async_hooks');
const counts = {};
const hook = async_hooks.createHook({ init(id, type) { counts[type] = (counts[type] || 0) + 1; } });
async function work(n) { await null; if (n > 0) await work(n - 1); return n; }
hook.enable();
work(3).then(() => {
  hook.disable();
  console.log(JSON.stringify(counts));
});
