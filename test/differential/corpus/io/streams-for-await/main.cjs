const fs = require('node:fs');
const path = require('node:path');
const { Readable, Transform, Writable } = require('node:stream');
const { pipeline } = require('node:stream/promises');
(async () => {
  let chunks = 0;
  let bytes = 0;
  for await (const chunk of fs.createReadStream(path.join(__dirname, 'lines.txt'), { highWaterMark: 64 })) {
    chunks++;
    bytes += chunk.length;
  }
  console.log('chunks', chunks, 'bytes', bytes);
  const collected = [];
  for await (const v of Readable.from(['a', 'b', 'c'])) collected.push(v);
  console.log(collected);
  const seen = [];
  await pipeline(
    Readable.from([1, 2, 3, 4]),
    async function* (source) { for await (const n of source) { await null; yield n * 10; } },
    new Transform({ objectMode: true, transform(n, _, done) { done(null, n + 1); } }),
    new Writable({ objectMode: true, write(v, _, done) { seen.push(v); setImmediate(done); } }),
  );
  console.log('pipeline', seen);
  const broken = Readable.from((async function* () { yield 1; throw new Error('source broke'); })());
  try {
    for await (const v of broken) console.log('got', v);
  } catch (e) {
    console.log('caught', e.message);
  }
})();
