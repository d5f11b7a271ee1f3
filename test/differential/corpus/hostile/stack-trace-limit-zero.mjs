Error.stackTraceLimit = 0;
async function fail() { await null; throw new Error('no frames at all'); }
try { await fail(); } catch (e) { console.log(JSON.stringify(e.stack)); }
Error.stackTraceLimit = Infinity;
async function deep(n) { if (n === 0) { await null; return new Error('deep').stack.split('\n').filter((l) => l.includes('stack-trace-limit-zero')).length; } return deep(n - 1); }
console.log(await deep(20));
