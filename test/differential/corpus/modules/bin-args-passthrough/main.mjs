const args = process.argv.slice(2);
console.log(JSON.stringify(args));
const { parseArgs } = await import('node:util');
const { values, positionals } = parseArgs({ args, options: { verbose: { type: 'boolean' }, x: { type: 'string', short: 'x' }, help: { type: 'boolean' } }, allowPositionals: true });
console.log(values, positionals);
