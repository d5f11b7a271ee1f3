// Seeds 002 (lab) Exercise 1 "Basic Async/Await" and 004 (AsyncIO guide) Phase 1 §4-§6 and its challenge,
// plus the `asyncio.sleep` example from 004 §3.
//
// Timeline, in order:
//   1. greet: one 1 s sleep between "Hello" and "World".
//   2. running coroutines: two 1 s sleeps one after the other (a coroutine awaiting another).
//   3. hello world: two 1 s greets awaited one after the other (2 s), then the same two overlapping (1 s).
//   4. sleep example: A (2 s) and B (1 s) overlap; B finishes first; 2 s in all.
//   5. lab Exercise 1: one 1 s download, then three 0.5 s download+process steps strictly in sequence (2.5 s + a
//      little processing).
//   6. challenge: three 1 s "URL fetches" one after another (3 s), then all three overlapping (1 s).
import { sleep } from './lib/env.js';
import { stopwatch } from './lib/b-async.js';

// --- 004 §4: coroutines ----------------------------------------------------------------------------------
async function greet(): Promise<void> {
  console.log('Hello');
  await sleep(1); // non-blocking wait: the event loop is free to run other work meanwhile
  console.log('World');
}

// --- 004 §5: running coroutines (asyncio.run is simply calling and awaiting at the top level) -------------
async function runMain(): Promise<void> {
  console.log('Start');
  await sleep(1);
  console.log('End');
}

async function sayHello(): Promise<void> {
  await sleep(1);
  console.log('Hello');
}

async function awaitAnother(): Promise<void> {
  await sayHello(); // `await` inside a coroutine: run it now and wait for it
  console.log('Done');
}

// --- 004 §6: hello world, one after another vs concurrently -----------------------------------------------
async function greetName(name: string): Promise<void> {
  await sleep(1);
  console.log(`Hello, ${name}`);
}

// --- 004 §3: asyncio.sleep ---------------------------------------------------------------------------------
async function waiter(name: string, delay: number): Promise<void> {
  console.log(`${name}: waiting for ${delay} seconds`);
  await sleep(delay);
  console.log(`${name}: done waiting`);
}

// --- 002 Exercise 1 ----------------------------------------------------------------------------------------
async function simulateDownload(url: string, delay: number): Promise<string> {
  await sleep(delay);
  return `Data from ${url}: ${'lorem ipsum dolor sit amet '.repeat(4)}`;
}

interface Processed {
  source: string;
  length: number;
  words: number;
  checksum: number;
}

async function processData(data: string): Promise<Processed> {
  await sleep(0.05); // e.g. handing the data to a parser service
  let checksum = 0;
  for (let i = 0; i < data.length; i++) checksum = (checksum * 31 + data.charCodeAt(i)) >>> 0;
  return { source: data.slice(0, data.indexOf(':')), length: data.length, words: data.split(/\s+/).length, checksum };
}

/** Downloads and processes each URL in turn: every step waits for the previous one. */
async function downloadAndProcess(urls: string[]): Promise<Processed[]> {
  const results: Processed[] = [];
  for (const url of urls) {
    const data = await simulateDownload(url, 0.5);
    results.push(await processData(data));
  }
  return results;
}

// --- 004 Phase 1 challenge: fetch 3 URLs one by one, then concurrently -------------------------------------
async function fetchUrl(url: string): Promise<string> {
  await sleep(1); // simulated network delay
  return `<html>${url}</html>`;
}

async function main(): Promise<void> {
  console.log('== 1. Coroutines ==');
  await greet();

  console.log('== 2. Running coroutines ==');
  await runMain();
  await awaitAnother();

  console.log('== 3. Hello world ==');
  let elapsed = stopwatch();
  await greetName('Alice');
  await greetName('Bob');
  console.log(`One after another: ${elapsed().toFixed(2)}s`);
  elapsed = stopwatch();
  await Promise.all([greetName('Alice'), greetName('Bob')]);
  console.log(`Concurrently: ${elapsed().toFixed(2)}s`);

  console.log('== 4. asyncio.sleep ==');
  await Promise.all([waiter('A', 2), waiter('B', 1)]);

  console.log('== 5. Lab exercise 1: download and process ==');
  const startTime = stopwatch();
  const data = await simulateDownload('https://example.com', 1.0);
  console.log(`Downloaded: ${data.slice(0, 50)}...`);
  const results = await downloadAndProcess(['url1', 'url2', 'url3']);
  console.log(`Processed ${results.length} items`);
  console.log(`Sequential execution time: ${startTime().toFixed(2)}s`);

  console.log('== 6. Challenge: fetch 3 URLs ==');
  const urls = ['https://a.example', 'https://b.example', 'https://c.example'];
  elapsed = stopwatch();
  for (const url of urls) await fetchUrl(url);
  const sequential = elapsed();
  elapsed = stopwatch();
  const pages = await Promise.all(urls.map(fetchUrl));
  const concurrent = elapsed();
  console.log(`Fetched ${pages.length} URLs sequentially in ${sequential.toFixed(2)}s`);
  console.log(`Fetched ${pages.length} URLs concurrently in ${concurrent.toFixed(2)}s`);
}

await main();
