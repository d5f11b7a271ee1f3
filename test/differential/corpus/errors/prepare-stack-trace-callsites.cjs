function callSites() {
  const original = Error.prepareStackTrace;
  Error.prepareStackTrace = (_, stack) => stack;
  const stack = new Error().stack;
  Error.prepareStackTrace = original;
  return stack
    .filter((s) => s.getFileName() === __filename)
    .map((s) => [s.getFunctionName(), s.getLineNumber(), s.getColumnNumber(), s.isAsync(), s.isToplevel(), s.getTypeName()].join(':'));
}
async function inner() { await null; return callSites(); }
async function outer() { return await inner(); }
class K { async method() { await null; return callSites(); } }
outer().then((sites) => console.log(sites));
new K().method().then((sites) => console.log(sites));
console.log(callSites());
