// A tiny in-memory server speaking the Redis protocol (RESP2), enough for ioredis and node-redis
// to connect, SET, GET, INCR and quit over a real socket: no Redis server is installed here.
import { createServer } from 'node:net';

function encode(value) {
  if (value === null) return '$-1\r\n';
  if (typeof value === 'number') return `:${value}\r\n`;
  if (value instanceof Error) return `-${value.message}\r\n`;
  if (typeof value === 'object' && value.status) return `+${value.status}\r\n`;
  return `$${Buffer.byteLength(value)}\r\n${value}\r\n`;
}

/** Parses complete "*N $len arg ..." commands off the front of `buffer`; returns the rest. */
function takeCommands(buffer, commands) {
  let at = 0;
  for (;;) {
    if (buffer[at] !== 0x2a) return buffer.subarray(at);
    const headerEnd = buffer.indexOf('\r\n', at);
    if (headerEnd === -1) return buffer.subarray(at);
    const count = Number(buffer.toString('latin1', at + 1, headerEnd));
    let pos = headerEnd + 2;
    const args = [];
    for (let i = 0; i < count; i++) {
      const lineEnd = buffer.indexOf('\r\n', pos);
      if (lineEnd === -1) return buffer.subarray(at);
      const length = Number(buffer.toString('latin1', pos + 1, lineEnd));
      if (buffer.length < lineEnd + 2 + length + 2) return buffer.subarray(at);
      args.push(buffer.toString('utf8', lineEnd + 2, lineEnd + 2 + length));
      pos = lineEnd + 2 + length + 2;
    }
    commands.push(args);
    at = pos;
  }
}

export function startRespServer() {
  const data = new Map();
  const seen = [];
  const server = createServer((socket) => {
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      const commands = [];
      pending = takeCommands(Buffer.concat([pending, chunk]), commands);
      for (const [name, ...args] of commands) {
        const command = name.toUpperCase();
        seen.push(command);
        let reply;
        switch (command) {
          case 'PING':
            reply = { status: 'PONG' };
            break;
          case 'SET':
            data.set(args[0], args[1]);
            reply = { status: 'OK' };
            break;
          case 'GET':
            reply = data.has(args[0]) ? data.get(args[0]) : null;
            break;
          case 'INCR': {
            const next = Number(data.get(args[0]) ?? 0) + 1;
            data.set(args[0], String(next));
            reply = next;
            break;
          }
          case 'DEL':
            reply = args.filter((key) => data.delete(key)).length;
            break;
          case 'INFO':
            reply = '# Server\r\nredis_version:7.2.0\r\nloading:0\r\n';
            break;
          case 'QUIT':
            socket.end(encode({ status: 'OK' }));
            return;
          case 'CLIENT':
          case 'SELECT':
            reply = { status: 'OK' };
            break;
          default:
            reply = new Error(`ERR unknown command '${name}'`);
        }
        socket.write(encode(reply));
      }
    });
    socket.on('error', () => {});
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ port: server.address().port, seen, close: () => new Promise((r) => server.close(r)) }));
  });
}
