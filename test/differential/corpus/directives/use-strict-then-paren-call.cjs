'use strict'
;(async () => {
  await 0;
  console.log('the leading semicolon keeps the directive a directive');
  console.log((function () { return this === undefined; })());
})();
