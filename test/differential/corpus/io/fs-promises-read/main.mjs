import { readFile, readdir, stat, open } from 'node:fs/promises';
const here = new URL('.', import.meta.url);
const [words, config] = await Promise.all([readFile(new URL('words.txt', here), 'utf8'), readFile(new URL('config.json', here), 'utf8').then(JSON.parse)]);
console.log(words.trim().split('\n'), config.n);
console.log((await readdir(here)).sort(), (await stat(new URL('words.txt', here))).size);
const handle = await open(new URL('words.txt', here));
try {
  const buf = Buffer.alloc(5);
  const { bytesRead } = await handle.read(buf, 0, 5, 6);
  console.log(bytesRead, buf.toString());
} finally {
  await handle.close();
}
try {
  await readFile(new URL('missing.txt', here));
} catch (e) {
  console.log(e.code, e.syscall);
}
