console.log(Error.stackTraceLimit, typeof Error.prepareStackTrace, process.sourceMapsEnabled);
const e = new Error('x');
console.log(e.stack.split('\n').length);
