// A worker thread of blocking-work-in-a-thread.ts's pool: computes each checksum it is sent and
// posts the answer back (the same checksum as the main loop's).
import { parentPort } from 'node:worker_threads';
import { checksum } from './checksum.mjs';

async function onJob(job) {
  parentPort.postMessage({ id: job.id, sum: checksum(job.rounds) });
}

// Started: the pool waits for this before it times the work (starting a thread is not the work).
parentPort.postMessage('ready');

parentPort.on('message', (job) => {
  // Closing the port lets the thread end by itself once the pool is done with it.
  if (job === 'stop') parentPort.close();
  else onJob(job);
});
