// What a handler can see of its request and response while the profiler times them: listener
// counts, event order, express-style properties read after the end, and a route-looking path.
const http = require('node:http');
const { once } = require('node:events');

const seen = [];
const server = http.createServer((req, res) => {
  seen.push(`request ${req.method} ${req.url} server:${server.listenerCount('request')} req:${req.eventNames().join(',')} res:${res.eventNames().join(',')}`);
  res.on('finish', () => seen.push(`finish ${req.url} res:${res.listenerCount('finish')}`));
  req.route = { path: '/users/:id' };
  Object.defineProperty(req, 'baseUrl', { get() { seen.push('baseUrl read'); return ''; } });
  setTimeout(() => res.end('ok'), 2);
});
server.listen(0, '127.0.0.1', async () => {
  const { port } = server.address();
  for (const path of ['/users/1?x=2', '/users/2', '/static/abc']) {
    const response = await fetch(`http://127.0.0.1:${port}${path}`);
    seen.push(`${response.status} ${await response.text()}`);
  }
  server.close();
  await once(server, 'close');
  console.log(seen.join('\n'));
  console.log(`server listeners ${server.eventNames().join(',')}`);
});
