import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
const run = promisify(execFile);
const { stdout, stderr } = await run(process.execPath, ['-e', 'console.log(6 * 7); console.error("to stderr")']);
console.log('stdout', stdout.trim(), 'stderr', stderr.trim());
try {
  await run(process.execPath, ['-e', 'process.exit(3)']);
} catch (e) {
  console.log('exit code', e.code);
}
