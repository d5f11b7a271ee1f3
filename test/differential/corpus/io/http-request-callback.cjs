const http = require('node:http');
const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => res.end(body.toUpperCase()));
});
server.listen(0, '127.0.0.1', () => {
  const req = http.request({ port: server.address().port, host: '127.0.0.1', method: 'POST', path: '/' }, (res) => {
    let data = '';
    res.setEncoding('utf8');
    res.on('data', (d) => (data += d));
    res.on('end', () => {
      console.log(res.statusCode, data);
      server.close(() => console.log('closed'));
    });
  });
  req.end('posted body');
});
