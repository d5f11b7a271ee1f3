async function down(n) { if (n === 0) return 0; return 1 + (await down(n - 1)); }
down(3000).then((v) => console.log('depth reached', v));
function tooDeep() { return tooDeep(); }
try { tooDeep(); } catch (e) { console.log(e.constructor.name, e.message); }
