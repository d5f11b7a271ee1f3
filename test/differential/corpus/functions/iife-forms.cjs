(async () => { await null; console.log(1, 'arrow iife'); })();
(async function () { await null; console.log(2, 'function iife'); }());
!async function () { await null; console.log(3, 'bang iife'); }();
void async function named() { await null; console.log(4, 'void iife', typeof named); }();
new Promise(async (resolve) => { await null; console.log(5, 'async executor'); resolve(); });
+async function () { console.log(0, 'sync part of plus iife'); }();
