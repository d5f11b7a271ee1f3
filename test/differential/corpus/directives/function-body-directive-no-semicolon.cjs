async function strictInside() {
  'use strict'
  await null;
  return (function () { return this; })();
}
async function sloppyInside() {
  await null;
  return typeof (function () { return this; })();
}
function syncStrict() {
  'use strict'
  return this;
}
Promise.all([strictInside(), sloppyInside()]).then(([a, b]) => console.log(a, b, syncStrict()));
