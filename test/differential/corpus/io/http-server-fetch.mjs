import { createServer } from 'node:http';
import { once } from 'node:events';
const server = createServer(async (req, res) => {
  await new Promise((r) => setTimeout(r, 5));
  res.setHeader('content-type', 'text/plain');
  res.end(`you asked for ${req.url}`);
});
server.listen(0, '127.0.0.1');
await once(server, 'listening');
const base = `http://127.0.0.1:${server.address().port}`;
const responses = await Promise.all(['/a', '/b', '/c'].map(async (p) => {
  const r = await fetch(base + p);
  return `${r.status} ${r.headers.get('content-type')} ${await r.text()}`;
}));
console.log(responses.join('\n'));
server.close();
await once(server, 'close');
console.log('server closed');
