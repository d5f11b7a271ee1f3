// A child process object as the program sees it: no listener on it but the program's own
// (async-prof sees its exit and close as Node emits them), and the same events in the same order.
import { exec, execFile, spawn } from 'node:child_process';

function describe(label, child) {
  console.log(label, child.listenerCount('exit'), child.listenerCount('close'), JSON.stringify(child.eventNames()));
}

const order = [];
const spawned = spawn('sh', ['-c', 'exit 3']);
describe('spawn', spawned);
spawned.on('exit', (code) => order.push(`exit ${code}`));
describe('spawn with a listener', spawned);
await new Promise((resolve) => spawned.on('close', (code, signal) => resolve(order.push(`close ${code} ${signal}`))));
console.log(order.join(', '));

const viaExec = exec('echo hello');
describe('exec', viaExec);
const viaExecFile = execFile('sh', ['-c', 'echo file']);
describe('execFile', viaExecFile);
await Promise.all([viaExec, viaExecFile].map((c) => new Promise((resolve) => c.once('close', resolve))));
describe('exec after close', viaExec);
