// Seed 004 (AsyncIO guide) §3 "Networking basics": the TCP echo server and client, and challenge 2 (several messages
// per client until "quit", read with `async for`); §7 "AsyncIO Streams": reading a stream line by line with
// `async for`, UDP (DatagramProtocol) and the challenges TCP file transfer and UDP service discovery.
// Everything is real sockets on 127.0.0.1 with port 0 (node:net and node:dgram).
//
// Timeline: 1) three clients connect at once and each gets its line back — overlapping connections; 2) two clients
// in conversation with the server, 0.1 s between their messages, interleaved; 3) lines streamed to a server that
// prints them until EOF; 4) a 1 MiB file streamed in chunks to a client that writes it to disk; 5) UDP echo and a
// discovery query answered by two services within a 0.3 s window.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleep } from './lib/env.js';

const HOST = '127.0.0.1';

async function listen(server: Server): Promise<number> {
  server.listen(0, HOST);
  await once(server, 'listening');
  return (server.address() as { port: number }).port;
}

async function closeServer(server: Server): Promise<void> {
  server.close();
  await once(server, 'close');
}

async function openConnection(port: number): Promise<Socket> {
  const socket = connect(port, HOST);
  await once(socket, 'connect');
  return socket;
}

/** `reader.readline()` for a socket: an iterator of its lines. */
function lines(socket: Socket): AsyncIterator<string> {
  return createInterface({ input: socket, crlfDelay: Infinity })[Symbol.asyncIterator]();
}

/** Resolves once the socket is fully closed (at once if it already is). */
async function closed(socket: Socket): Promise<void> {
  if (!socket.closed) await once(socket, 'close');
}

const peer = (s: Socket): string => `('${s.remoteAddress}', ${s.remotePort})`;

// --- 1. one line, echoed back -----------------------------------------------------------------------------------------
async function oneLineEcho(): Promise<void> {
  const server = createServer(async (socket) => {
    const reader = lines(socket);
    const { value: message } = await reader.next(); // read one line
    console.log(`Received ${JSON.stringify(message).replace(/^"|"$/g, "'")} from ${peer(socket)}`);
    socket.end(`${message}\n`); // echo it back and close our side
  });
  const port = await listen(server);
  console.log(`Serving on ('${HOST}', ${port})`);

  const tcpEcho = async (message: string): Promise<void> => {
    const socket = await openConnection(port);
    socket.write(`${message}\n`);
    const { value } = await lines(socket).next();
    console.log('Received:', value);
    socket.end();
    await closed(socket);
  };
  await Promise.all([1, 2, 3].map((i) => tcpEcho(`hello from client ${i}`)));
  await closeServer(server);
}

// --- 2. challenge: many messages per client, until "quit" -------------------------------------------------------------
async function conversation(): Promise<void> {
  const server = createServer(async (socket) => {
    const who = peer(socket);
    const rl = createInterface({ input: socket, crlfDelay: Infinity });
    for await (const line of rl) {
      // `async for line in reader`
      if (line === 'quit') socket.end('bye\n'); // the client closes in turn, which ends this loop
      else socket.write(`echo: ${line}\n`);
    }
    console.log(`server: ${who} disconnected`);
  });
  const port = await listen(server);

  const client = async (name: string, messages: string[]): Promise<void> => {
    const socket = await openConnection(port);
    const reader = lines(socket);
    for (const message of [...messages, 'quit']) {
      socket.write(`${message}\n`);
      const { value } = await reader.next();
      console.log(`${name} sent ${JSON.stringify(message)}, got ${JSON.stringify(value)}`);
      await sleep(0.1);
    }
    await closed(socket); // the server ended the conversation after "bye"; this side closed in turn
  };
  await Promise.all([client('client-A', ['one', 'two', 'three']), client('client-B', ['alpha', 'beta', 'gamma'])]);
  await closeServer(server);
}

// --- 3. async for over a stream's lines, until EOF ----------------------------------------------------------------------
async function linesUntilEof(): Promise<void> {
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  const server = createServer(async (socket) => {
    for await (const line of createInterface({ input: socket, crlfDelay: Infinity })) console.log('Line:', line);
    console.log('Line: <EOF>');
    socket.end();
    done();
  });
  const port = await listen(server);
  const socket = await openConnection(port);
  for (const line of ['first', 'second', 'third']) {
    socket.write(`${line}\n`);
    await sleep(0.05);
  }
  socket.end(); // EOF for the server's loop
  await finished;
  await closeServer(server);
}

// --- 4. challenge: TCP file transfer ------------------------------------------------------------------------------------
async function fileTransfer(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'async-prof-tcp-'));
  try {
    const source = join(dir, 'big.bin');
    await writeFile(source, randomBytes(1024 * 1024));
    const server = createServer(async (socket) => {
      const { value: filename } = await lines(socket).next(); // the request: one line with a file name
      const path = join(dir, String(filename));
      // stream the file in 64 KiB chunks; pipeline handles backpressure and closes the socket at the end
      await pipeline(createReadStream(path, { highWaterMark: 64 * 1024 }), socket).catch(() => socket.destroy());
    });
    const port = await listen(server);
    const socket = await openConnection(port);
    socket.write('big.bin\n');
    let chunks = 0;
    socket.on('data', () => chunks++);
    const target = join(dir, 'received.bin');
    await pipeline(socket, createWriteStream(target));
    const [a, b] = await Promise.all([readFile(source), readFile(target)]);
    const same = createHash('sha256').update(a).digest('hex') === createHash('sha256').update(b).digest('hex');
    console.log(`Transferred big.bin: ${(await stat(target)).size} bytes in ${chunks} chunks, checksum ${same ? 'matches' : 'DIFFERS'}`);
    await closeServer(server);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// --- 5. UDP: echo, and a discovery query ------------------------------------------------------------------------------------
async function bindUdp(onMessage: (socket: UdpSocket, msg: Buffer, rinfo: { address: string; port: number }) => void): Promise<UdpSocket> {
  const socket = createSocket('udp4');
  socket.on('message', (msg, rinfo) => onMessage(socket, msg, rinfo));
  socket.bind(0, HOST);
  await once(socket, 'listening');
  return socket;
}

async function udp(): Promise<void> {
  const echo = await bindUdp((s, msg, rinfo) => {
    console.log(`UDP server: received ${JSON.stringify(msg.toString())} from ${rinfo.address}`);
    s.send(msg, rinfo.port, rinfo.address); // echo back
  });
  const client = await bindUdp(() => {});
  const reply = once(client, 'message');
  client.send('hello over udp', echo.address().port, HOST);
  const [msg] = (await reply) as [Buffer];
  console.log(`UDP client: got ${JSON.stringify(msg.toString())} back`);

  // Discovery: each service answers a DISCOVER datagram with its description; the client collects answers for 0.3 s.
  const services = await Promise.all(
    ['cache-service', 'db-service'].map((name) =>
      bindUdp((s, m, rinfo) => {
        if (m.toString() === 'DISCOVER') s.send(JSON.stringify({ name, port: s.address().port }), rinfo.port, rinfo.address);
      }),
    ),
  );
  const found: string[] = [];
  client.removeAllListeners('message');
  client.on('message', (m) => found.push((JSON.parse(m.toString()) as { name: string }).name));
  for (const s of services) client.send('DISCOVER', s.address().port, HOST); // loopback stand-in for a broadcast
  await sleep(0.3);
  console.log(`Discovered: ${found.sort().join(', ')}`);
  for (const s of [echo, client, ...services]) s.close();
}

const parts: [string, () => Promise<void>][] = [
  ['1. TCP echo: three clients', oneLineEcho],
  ['2. Several messages per client until "quit"', conversation],
  ['3. Reading lines with async iteration until EOF', linesUntilEof],
  ['4. TCP file transfer', fileTransfer],
  ['5. UDP echo and discovery', udp],
];
for (const [title, run] of parts) {
  console.log(`\n== ${title} ==`);
  await run();
}
