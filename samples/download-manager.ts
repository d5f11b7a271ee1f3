// Seed 000, Exercise 3: Download Manager.
// Five files (500, 50, 10, 5 and 300 MB) are downloaded over real HTTP from a local server on
// 127.0.0.1 that streams each body at 100 MB/s (1 KiB on the wire stands for 1 MB), first one
// after another (sequentialDownload), then all at once (parallelDownload, Promise.all).
// Timeline: sequentialDownload holds five downloadFile tasks that never overlap (8.65 s in all);
// then parallelDownload holds five downloadFile tasks that start together and overlap, ending
// after the longest (movie.mp4, 5.00 s). The summary prints the speedup, 8.65 / 5.00 = 1.73x.
import { setTimeout as sleepMs } from 'node:timers/promises';
import { scaled } from './lib/env.js';
import { pyRound, runMain, startLocalServer, stopwatch } from './lib/course.js';
import type { IncomingMessage, ServerResponse } from 'node:http';

type FileSpec = [filename: string, sizeMb: number];

const MB_PER_SECOND = 100;
const BYTES_PER_MB = 1024; // scaled-down payload: the timing, not the volume, is the lesson
const TICK_SECONDS = 0.05; // the server sends what is due every 50 ms (course time)

/** The file server: streams `mb` megabytes paced at MB_PER_SECOND, measured from the request. */
async function serveFile(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const sizeMb = Number(url.searchParams.get('mb') ?? 0);
  const seconds = sizeMb / MB_PER_SECOND;
  const started = performance.now();
  const chunk = Buffer.alloc(BYTES_PER_MB, 0x61);
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': sizeMb * BYTES_PER_MB });
  let sent = 0;
  for (let tick = 1; sent < sizeMb; tick++) {
    const target = Math.min(tick * TICK_SECONDS, seconds);
    const waitMs = scaled(target) - (performance.now() - started);
    if (waitMs > 0) await sleepMs(waitMs);
    const due = target >= seconds ? sizeMb : Math.floor(target * MB_PER_SECOND);
    for (; sent < due; sent++) res.write(chunk);
  }
  res.end();
}

async function downloadFile(baseUrl: string, filename: string, sizeMb: number): Promise<[string, number, number]> {
  console.log(`Downloading ${filename} (${sizeMb}MB)...`);
  const elapsed = stopwatch();
  const response = await fetch(`${baseUrl}/files/${filename}?mb=${sizeMb}`);
  if (!response.ok || !response.body) throw new Error(`${filename}: HTTP ${response.status}`);
  let bytes = 0;
  const reader = response.body.getReader();
  for (let part = await reader.read(); !part.done; part = await reader.read()) bytes += part.value.byteLength;
  if (bytes !== sizeMb * BYTES_PER_MB) throw new Error(`${filename}: got ${bytes} bytes`);
  const timeTaken = elapsed();
  console.log(`✓ ${filename} downloaded in ${pyRound(timeTaken)}s`);
  return [filename, sizeMb, timeTaken];
}

async function sequentialDownload(baseUrl: string, files: FileSpec[]): Promise<number> {
  console.log('\n=== Sequential Download ===');
  const elapsed = stopwatch();
  for (const [filename, sizeMb] of files) {
    await downloadFile(baseUrl, filename, sizeMb);
  }
  const total = elapsed();
  console.log(`Sequential total: ${pyRound(total)} seconds`);
  return total;
}

async function parallelDownload(baseUrl: string, files: FileSpec[]): Promise<number> {
  console.log('\n=== Parallel Download ===');
  const elapsed = stopwatch();
  await Promise.all(files.map(([filename, sizeMb]) => downloadFile(baseUrl, filename, sizeMb)));
  const total = elapsed();
  console.log(`Parallel total: ${pyRound(total)} seconds`);
  return total;
}

async function main(): Promise<void> {
  const files: FileSpec[] = [
    ['movie.mp4', 500],
    ['music.mp3', 50],
    ['document.pdf', 10],
    ['image.jpg', 5],
    ['archive.zip', 300],
  ];
  const server = await startLocalServer((req, res) => {
    serveFile(req, res).catch((error: unknown) => res.destroy(error as Error));
  });
  try {
    // The first fetch() of a process loads Node's HTTP client (tens of ms): do it before timing.
    await (await fetch(`${server.baseUrl}/files/warm-up?mb=1`)).arrayBuffer();

    const seqTime = await sequentialDownload(server.baseUrl, files);
    const parTime = await parallelDownload(server.baseUrl, files);

    console.log('\n=== Performance Summary ===');
    console.log(`Sequential: ${seqTime.toFixed(2)} seconds`);
    console.log(`Parallel: ${parTime.toFixed(2)} seconds`);
    console.log(`Speed improvement: ${(seqTime / parTime).toFixed(2)}x faster`);
  } finally {
    await server.close();
  }
}

runMain(main);
