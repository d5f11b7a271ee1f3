Error.prepareStackTrace = (err, frames) => `${err.name}: ${err.message} @ ${frames.filter((f) => f.getFileName() === __filename).map((f) => `${f.getFunctionName() ?? '<top>'}:${f.getLineNumber()}:${f.getColumnNumber()}`).join(' <- ')}`;
async function deep() { await null; throw new Error('custom formatted'); }
async function outer() { await deep(); }
outer().catch((e) => console.log(e.stack));
