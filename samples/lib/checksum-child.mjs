// A child process of work-in-child-processes.ts: computes each checksum it is sent over IPC and
// sends the answer back (the same checksum as the main loop's). JavaScript, so that the child runs
// without a TypeScript loader of its own.
import { checksum } from './checksum.mjs';

async function onJob(job) {
  process.send({ id: job.id, pid: process.pid, sum: checksum(job.rounds) });
}

process.on('message', (job) => void onJob(job));
// Started: the parent waits for this before it times the work (starting a process is not the work).
process.send('ready');
