// CPU-bound work for blocking-work-in-a-thread.ts: a checksum over `rounds` rounds of arithmetic,
// no I/O and no await, so whichever thread runs it is held until it returns. JavaScript, so that
// its worker thread (checksum-worker.mjs) runs it as Node runs it: tsx does not load TypeScript
// into worker threads.
export function checksum(rounds) {
  let sum = 0;
  for (let i = 0; i < rounds; i++) sum = (sum * 31 + (i ^ (sum >>> 7))) % 1_000_003;
  return sum;
}

/** Rounds that take about `ms` milliseconds on this machine (measured once, on a short run). */
export function roundsFor(ms) {
  const probe = 2_000_000;
  // Once to let V8 optimise it: the work itself runs optimised.
  checksum(probe);
  const started = performance.now();
  checksum(probe);
  const took = Math.max(0.5, performance.now() - started);
  return Math.round((probe * ms) / took);
}
