// One thread of worker-pool.ts: arithmetic for each job it is sent, then the answer.
import { parentPort } from 'node:worker_threads';

async function job(rounds) {
  let sum = 0;
  for (let i = 0; i < rounds; i++) sum = (sum * 31 + (i ^ (sum >>> 7))) % 1_000_003;
  return sum;
}

parentPort.on('message', async (rounds) => parentPort.postMessage(await job(rounds)));
parentPort.postMessage('ready');
