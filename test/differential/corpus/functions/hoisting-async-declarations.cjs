// Called before its declaration: function declarations are hoisted with their bodies.
early().then((v) => console.log(v));
async function early() { await null; return 'hoisted async declaration'; }
console.log(typeof later);
function later() {}
if (true) {
  async function blockAsync() { return 1; }
  function blockPlain() { return 2; }
}
// Annex B hoists plain functions out of blocks in sloppy code, but never async ones.
console.log(typeof blockAsync, typeof blockPlain);
