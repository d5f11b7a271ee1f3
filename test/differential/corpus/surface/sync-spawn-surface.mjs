// The synchronous ways of starting a process, which async-prof wraps to record Node children:
// the program sees Node's own functions (name, arity, text, prototype, the module's keys) and a
// node child's output, status and environment as bare, its options object untouched.
import cp, { execFileSync, execSync, spawnSync } from 'node:child_process';

for (const name of ['spawnSync', 'execFileSync', 'execSync']) {
  const fn = cp[name];
  console.log(name, fn.name, fn.length, typeof fn.prototype, String(fn).split('\n')[0], Object.getOwnPropertyNames(fn).sort().join());
}
console.log(spawnSync === cp.spawnSync, execSync === cp.execSync, execFileSync === cp.execFileSync, Object.keys(cp).join());

const options = Object.freeze({ encoding: 'utf8', env: Object.freeze({ PATH: process.env.PATH, ONLY: 'this' }) });
const probe = 'console.log(JSON.stringify(Object.keys(process.env).sort()), process.execArgv.length, process.env.NODE_OPTIONS ?? null)';
const result = spawnSync(process.execPath, ['-e', probe], options);
console.log(result.status, result.signal, result.stdout.trim(), JSON.stringify(result.stderr));
console.log(execFileSync(process.execPath, ['-e', 'process.stdout.write("file " + process.argv.length)'], options));
console.log(execSync(`node -e "process.stdout.write('shell ok')"`, { encoding: 'utf8' }));
try {
  execFileSync(process.execPath, ['-e', 'process.exit(3)'], options);
} catch (error) {
  console.log('threw', error.status, error.constructor.name);
}
