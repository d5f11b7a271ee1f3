// ANTI-PATTERN: independent async calls awaited one by one in a loop. Seed 002 (lab) Exercise 3 and seed 004 (AsyncIO
// guide) Phase 1 compare sequential awaits with asyncio.gather; seed 003's best practices warn against needless
// serialization.
//
// `fetchUser(id)` calls do not depend on each other, yet the `for` loop below waits for each one before starting the
// next: five 0.2 s calls take 1.0 s.
//
// THE FIX (run with --fixed): start them all, then wait for all of them:
//     const users = await Promise.all(ids.map((id) => fetchUser(id)));
// Five 0.2 s calls then take 0.2 s. (Keep the loop only when each call needs the previous result; when there are
// very many calls, bound the concurrency — see unbounded-fanout.ts.)
//
// Timeline: without --fixed, five fetchUser spans strictly one after another, never overlapping (1.0 s); with
// --fixed, the five spans overlap completely (0.2 s).
import { sleep } from './lib/env.js';
import { stopwatch } from './lib/b-async.js';

interface User {
  id: number;
  name: string;
}

const NAMES = ['Ada', 'Brian', 'Chen', 'Dana', 'Emil'];

async function fetchUser(id: number): Promise<User> {
  console.log(`fetchUser(${id}) started`);
  await sleep(0.2); // a network round trip
  console.log(`fetchUser(${id}) done`);
  return { id, name: NAMES[id - 1]! };
}

const fixed = process.argv.includes('--fixed');
const ids = [1, 2, 3, 4, 5];
const elapsed = stopwatch();
let users: User[];

if (!fixed) {
  users = [];
  for (const id of ids) {
    users.push(await fetchUser(id)); // BUG: each call waits for the previous one although they are independent
  }
} else {
  users = await Promise.all(ids.map((id) => fetchUser(id))); // FIX: all five in flight at once
}

console.log(`Fetched ${users.length} users (${users.map((u) => u.name).join(', ')}) ${fixed ? 'concurrently' : 'one at a time'} in ${elapsed().toFixed(2)}s`);
