// The methods the profiler wraps to count messages: same names, lengths and text; Worker's and
// ChildProcess's prototypes get an own emit (EventEmitter's, wrapped), not enumerable.
import { ChildProcess } from 'node:child_process';
import { MessagePort, Worker } from 'node:worker_threads';

console.log(Object.getOwnPropertyNames(Worker.prototype).sort().join(' '));
console.log(Object.getOwnPropertyNames(ChildProcess.prototype).sort().join(' '));
console.log(Object.getOwnPropertyNames(MessagePort.prototype).sort().join(' '));
const post = Worker.prototype.postMessage;
console.log(post.name, post.length, String(post));
console.log(Object.keys(Worker.prototype).join(' '), Object.keys(ChildProcess.prototype).join(' '));
console.log(Worker.prototype.emit.name, Worker.prototype.emit.length, String(Worker.prototype.emit) === String(ChildProcess.prototype.emit));
