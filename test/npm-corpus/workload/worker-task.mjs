// The task piscina and tinypool run in their worker threads.
import { setTimeout as sleep } from 'node:timers/promises';

export default async function multiply({ a, b }) {
  await sleep(1);
  return a * b;
}
