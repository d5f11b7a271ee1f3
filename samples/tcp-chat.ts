// Seed 004 (AsyncIO guide) §7 chat server (multi-client, broadcast) and its challenge 1 (chat server + client with
// nicknames); seed 003 (practice exercises) Exercise 8 (chat server with a JSON line protocol: connect with a
// username, join/leave notices, broadcast, ping/pong, error replies) together with its AsyncChatClient.
// Real TCP on 127.0.0.1 (node:net, port 0) with four clients in the same process.
//
// Timeline: one long span per connection (server side and client side) from connect to disconnect, overlapping;
// short bursts of socket writes at each step — joins, a nickname refused, a broadcast reaching three clients, a
// ping, a leave — with 0.1 s pauses between steps.
import { createServer, connect, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { sleep } from './lib/env.js';
import { AsyncQueue } from './lib/b-queue.js';

type MessageType = 'connect' | 'disconnect' | 'message' | 'error' | 'ping' | 'pong';

interface ChatMessage {
  type: MessageType;
  sender?: string;
  username?: string;
  content?: string;
  timestamp?: string;
}

const encode = (m: ChatMessage): string => `${JSON.stringify({ ...m, timestamp: new Date().toISOString() })}\n`;

// --- the server --------------------------------------------------------------------------------------------------------
class ChatServer {
  readonly #server = createServer((socket) => void this.#handleClient(socket));
  readonly #users = new Map<string, Socket>(); // nickname -> connection
  #nextId = 1;
  port = 0;

  async start(): Promise<void> {
    this.#server.listen(0, '127.0.0.1');
    await once(this.#server, 'listening');
    this.port = (this.#server.address() as { port: number }).port;
    console.log(`[SERVER] Listening on ('127.0.0.1', ${this.port})`);
  }

  async stop(): Promise<void> {
    this.#server.close();
    await once(this.#server, 'close');
    console.log('[SERVER] stopped');
  }

  #send(socket: Socket, message: ChatMessage): void {
    if (!socket.destroyed) socket.write(encode(message));
  }

  #broadcast(message: ChatMessage, exclude?: string): void {
    for (const [name, socket] of this.#users) if (name !== exclude) this.#send(socket, message);
  }

  async #handleClient(socket: Socket): Promise<void> {
    const userId = `user_${this.#nextId++}`;
    let nickname: string | undefined;
    socket.on('error', () => {}); // a client vanishing mid-write is not the server's problem
    try {
      for await (const line of createInterface({ input: socket, crlfDelay: Infinity })) {
        let message: ChatMessage;
        try {
          message = JSON.parse(line) as ChatMessage;
        } catch {
          this.#send(socket, { type: 'error', content: 'Invalid message format' });
          continue;
        }
        if (message.type === 'connect') {
          const wanted = (message.username ?? '').trim();
          if (nickname) this.#send(socket, { type: 'error', content: 'Already connected' });
          else if (!wanted || this.#users.has(wanted)) {
            this.#send(socket, { type: 'error', content: `Nickname '${wanted}' is taken` });
          } else {
            nickname = wanted;
            this.#users.set(nickname, socket);
            console.log(`[JOIN] ${nickname} (ID: ${userId})`);
            this.#send(socket, { type: 'connect', content: `Welcome ${nickname}! Online: ${[...this.#users.keys()].join(', ')}` });
            this.#broadcast({ type: 'message', sender: 'server', content: `${nickname} joined the chat` }, nickname);
          }
        } else if (!nickname) {
          this.#send(socket, { type: 'error', content: 'Not connected' });
        } else if (message.type === 'message') {
          this.#broadcast({ type: 'message', sender: nickname, content: message.content ?? '' }, nickname);
        } else if (message.type === 'ping') {
          this.#send(socket, { type: 'pong' });
        } else {
          this.#send(socket, { type: 'error', content: `Unknown message type: ${message.type}` });
        }
      }
    } finally {
      if (nickname) {
        this.#users.delete(nickname);
        console.log(`[DISCONNECT] ${nickname}`);
        this.#broadcast({ type: 'message', sender: 'server', content: `${nickname} left the chat` });
      }
      socket.end();
    }
  }
}

// --- the client --------------------------------------------------------------------------------------------------------
class ChatClient {
  readonly inbox = new AsyncQueue<ChatMessage>();
  #socket?: Socket;
  #reader?: Promise<void>;

  constructor(readonly label: string) {}

  async connect(port: number): Promise<void> {
    this.#socket = connect(port, '127.0.0.1');
    await once(this.#socket, 'connect');
    const socket = this.#socket;
    // the receiving side runs on its own, filling the inbox, while the script sends
    this.#reader = (async () => {
      for await (const line of createInterface({ input: socket, crlfDelay: Infinity })) {
        await this.inbox.put(JSON.parse(line) as ChatMessage);
      }
      this.inbox.close();
    })();
  }

  send(message: ChatMessage): void {
    this.#socket!.write(encode(message));
  }

  /** The next message received, printed as this client sees it. */
  async receive(): Promise<ChatMessage> {
    const m = await this.inbox.get(AbortSignal.timeout(5000)); // a lost message fails the run instead of hanging it
    const text = m.type === 'message' ? `${m.sender}: ${m.content}` : m.content ? `${m.type}: ${m.content}` : m.type;
    console.log(`  [${this.label} received] ${text}`);
    return m;
  }

  async join(nickname: string): Promise<boolean> {
    this.send({ type: 'connect', username: nickname });
    return (await this.receive()).type === 'connect';
  }

  async disconnect(): Promise<void> {
    this.#socket?.end();
    await this.#reader;
  }
}

async function main(): Promise<void> {
  const server = new ChatServer();
  await server.start();
  const alice = new ChatClient('alice');
  const bob = new ChatClient('bob');
  const carol = new ChatClient('carol');
  const newcomer = new ChatClient('newcomer');

  console.log('\n-- alice, bob and carol join --');
  await alice.connect(server.port);
  await alice.join('alice');
  await sleep(0.1);
  await bob.connect(server.port);
  await bob.join('bob');
  await alice.receive(); // "bob joined"
  await sleep(0.1);
  await carol.connect(server.port);
  await carol.join('carol');
  for (const c of [alice, bob]) await c.receive(); // "carol joined", taken in a fixed order for a stable output
  await sleep(0.1);

  console.log('\n-- a newcomer asks for a nickname already in use, then picks another --');
  await newcomer.connect(server.port);
  await newcomer.join('alice');
  await newcomer.join('dave');
  // joins are broadcast to everyone already in the room; take them in a fixed order so the output is stable
  for (const c of [alice, bob, carol]) await c.receive();
  await sleep(0.1);

  console.log('\n-- alice broadcasts --');
  alice.send({ type: 'message', content: 'Hi everyone!' });
  for (const c of [bob, carol, newcomer]) await c.receive();
  await sleep(0.1);

  console.log('\n-- bob checks the connection --');
  bob.send({ type: 'ping' });
  await bob.receive();
  bob.send({ type: 'shout' } as unknown as ChatMessage);
  await bob.receive();
  await sleep(0.1);

  console.log('\n-- carol says goodbye and leaves --');
  carol.send({ type: 'message', content: 'Bye!' });
  for (const c of [alice, bob, newcomer]) await c.receive();
  await carol.disconnect();
  for (const c of [alice, bob, newcomer]) await c.receive();
  await sleep(0.1);

  console.log('\n-- everyone else leaves --');
  await newcomer.disconnect();
  for (const c of [alice, bob]) await c.receive();
  await bob.disconnect();
  await alice.receive();
  await alice.disconnect();
  await server.stop();
}

await main();
