// Seed 000 (advanced path), Exercise 13: WebSocket Server with Pub/Sub.
// A chat server on real WebSockets (`ws`, 127.0.0.1, port 0) with rooms (pub/sub), message
// history, presence (who is online per room), a per-user rate limit (token bucket: burst 5, then
// 2 messages/s) and reconnection with message recovery (a client rejoins with the id of the last
// message it saw and gets exactly what it missed). Clients alice, bob, carol, dave, mallory talk
// over loopback; then 100 clients in one room measure broadcast latency (goal: < 100 ms).
// Timeline: one socket server and a client socket per user; each broadcast fans out to every
// socket of the room at once; the 100-client run shows 10 broadcasts x 100 deliveries.
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import type { AddressInfo } from 'node:net';
import { scaled, sleep } from './lib/env.js';
import { runMain } from './lib/course.js';

// ---------------------------------------------------------------- protocol
type ClientMessage =
  | { type: 'join'; room: string; since?: number }
  | { type: 'leave'; room: string }
  | { type: 'message'; room: string; text: string; sentAt?: number };

interface ChatMessage {
  type: 'message';
  room: string;
  id: number;
  from: string;
  text: string;
  sentAt?: number;
}

type ServerMessage =
  | ChatMessage
  | { type: 'history'; room: string; messages: ChatMessage[]; missedOnly: boolean }
  | { type: 'presence'; room: string; event: 'join' | 'leave'; user: string; online: string[] }
  | { type: 'error'; reason: string };

// ---------------------------------------------------------------- server
class UserRateLimit {
  private tokens: number;
  private last = performance.now();
  constructor(
    private readonly burst: number,
    private readonly perSecond: number,
  ) {
    this.tokens = burst;
  }
  tryTake(): boolean {
    const now = performance.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / scaled(1)) * this.perSecond);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens--;
    return true;
  }
}

class AsyncChatServer {
  private readonly wss: WebSocketServer;
  private readonly rooms = new Map<string, Map<string, WebSocket>>(); // room -> user -> socket
  private readonly history = new Map<string, ChatMessage[]>();
  private readonly limits = new Map<string, UserRateLimit>();
  private nextId = 1;
  readonly historySize = 50;

  private constructor(wss: WebSocketServer) {
    this.wss = wss;
    wss.on('connection', (socket, request) => {
      const user = new URL(request.url ?? '/', 'http://localhost').searchParams.get('user') ?? 'anonymous';
      this.handleConnection(socket, user);
    });
  }

  static async start(): Promise<AsyncChatServer> {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
    return new AsyncChatServer(wss);
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.wss.address() as AddressInfo).port}`;
  }

  private handleConnection(socket: WebSocket, user: string): void {
    const joined = new Set<string>();
    socket.on('message', (data: RawData) => {
      const message = JSON.parse(data.toString()) as ClientMessage;
      if (message.type === 'join') {
        joined.add(message.room);
        this.join(message.room, user, socket, message.since);
      } else if (message.type === 'leave') {
        joined.delete(message.room);
        this.leave(message.room, user);
      } else if (message.type === 'message') {
        let limit = this.limits.get(user);
        if (!limit) this.limits.set(user, (limit = new UserRateLimit(5, 2)));
        if (!limit.tryTake()) {
          send(socket, { type: 'error', reason: 'rate limited' });
          return;
        }
        this.broadcastToRoom(message.room, {
          type: 'message',
          room: message.room,
          id: this.nextId++,
          from: user,
          text: message.text,
          sentAt: message.sentAt,
        });
      }
    });
    socket.on('close', () => {
      for (const room of joined) this.leave(room, user, socket);
    });
  }

  private join(room: string, user: string, socket: WebSocket, since?: number): void {
    const members = this.rooms.get(room) ?? new Map<string, WebSocket>();
    this.rooms.set(room, members);
    members.set(user, socket);
    const past = this.history.get(room) ?? [];
    const missedOnly = since !== undefined;
    send(socket, { type: 'history', room, missedOnly, messages: missedOnly ? past.filter((m) => m.id > since) : past });
    this.announce(room, 'join', user);
  }

  private leave(room: string, user: string, socket?: WebSocket): void {
    const members = this.rooms.get(room);
    if (!members || (socket && members.get(user) !== socket)) return; // already replaced by a reconnect
    members.delete(user);
    this.announce(room, 'leave', user);
  }

  private announce(room: string, event: 'join' | 'leave', user: string): void {
    const online = [...(this.rooms.get(room)?.keys() ?? [])].sort();
    for (const socket of this.rooms.get(room)?.values() ?? []) send(socket, { type: 'presence', room, event, user, online });
  }

  /** Publishes to every socket subscribed to the room and keeps the message in the room's history. */
  broadcastToRoom(room: string, message: ChatMessage): void {
    const past = this.history.get(room) ?? [];
    past.push(message);
    if (past.length > this.historySize) past.shift();
    this.history.set(room, past);
    const payload = JSON.stringify(message);
    for (const socket of this.rooms.get(room)?.values() ?? []) socket.send(payload);
  }

  async close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve, reject) => this.wss.close((err) => (err ? reject(err) : resolve())));
  }
}

function send(socket: WebSocket, message: ServerMessage): void {
  if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
}

// ---------------------------------------------------------------- client
class ChatClient {
  readonly inbox: ServerMessage[] = [];
  lastSeenId = 0;
  private readonly waiters: Array<{ match: (m: ServerMessage) => boolean; resolve: (m: ServerMessage) => void }> = [];
  private constructor(
    readonly user: string,
    private readonly socket: WebSocket,
    private readonly onMessage?: (m: ServerMessage) => void,
  ) {
    socket.on('message', (data: RawData) => {
      const message = JSON.parse(data.toString()) as ServerMessage;
      if (message.type === 'message') this.lastSeenId = Math.max(this.lastSeenId, message.id);
      if (message.type === 'history') for (const m of message.messages) this.lastSeenId = Math.max(this.lastSeenId, m.id);
      this.onMessage?.(message);
      const index = this.waiters.findIndex((w) => w.match(message));
      if (index >= 0) this.waiters.splice(index, 1)[0]!.resolve(message);
      else this.inbox.push(message);
    });
  }

  static async connect(url: string, user: string, onMessage?: (m: ServerMessage) => void): Promise<ChatClient> {
    const socket = new WebSocket(`${url}/?user=${encodeURIComponent(user)}`);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return new ChatClient(user, socket, onMessage);
  }

  send(message: ClientMessage): void {
    this.socket.send(JSON.stringify(message));
  }

  /** The next server message matching `match` (already received or still to come), with a deadline. */
  next<T extends ServerMessage['type']>(
    type: T,
    where: (m: Extract<ServerMessage, { type: T }>) => boolean = () => true,
    timeoutMs = 5_000,
  ): Promise<Extract<ServerMessage, { type: T }>> {
    const match = (m: ServerMessage) => m.type === type && where(m as Extract<ServerMessage, { type: T }>);
    const index = this.inbox.findIndex(match);
    if (index >= 0) return Promise.resolve(this.inbox.splice(index, 1)[0] as Extract<ServerMessage, { type: T }>);
    return new Promise((resolve, reject) => {
      const waiter = { match, resolve: (m: ServerMessage) => (clearTimeout(timer), resolve(m as Extract<ServerMessage, { type: T }>)) };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`${this.user}: no ${type} message within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  async join(room: string, since?: number) {
    this.send({ type: 'join', room, since });
    const history = await this.next('history', (m) => m.room === room);
    const presence = await this.next('presence', (m) => m.room === room && m.user === this.user && m.event === 'join');
    return { history, presence };
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.socket.readyState === WebSocket.CLOSED) return resolve();
      this.socket.once('close', () => resolve());
      this.socket.close();
    });
  }
}

// ---------------------------------------------------------------- demo
async function main(): Promise<void> {
  const server = await AsyncChatServer.start();
  const clients: ChatClient[] = [];
  const connect = async (user: string, onMessage?: (m: ServerMessage) => void) => {
    const client = await ChatClient.connect(server.url, user, onMessage);
    clients.push(client);
    return client;
  };
  try {
    console.log('=== WebSocket Chat Server ===');
    console.log('Server listening on ws://127.0.0.1 (a free port)');

    console.log('\n--- Rooms and presence ---');
    const alice = await connect('alice');
    let joined = await alice.join('general');
    console.log(`alice joined #general (online: ${joined.presence.online.join(', ')})`);
    const bob = await connect('bob');
    joined = await bob.join('general');
    console.log(`bob joined #general (online: ${joined.presence.online.join(', ')})`);
    const seen = await alice.next('presence', (m) => m.user === 'bob');
    console.log(`alice sees: ${seen.user} ${seen.event === 'join' ? 'joined' : 'left'} #general`);

    alice.send({ type: 'message', room: 'general', text: 'Hi Bob!' });
    const hi = await bob.next('message', (m) => m.from === 'alice');
    console.log(`bob received from ${hi.from}: ${hi.text}`);
    bob.send({ type: 'message', room: 'general', text: 'Hi Alice!' });
    console.log(`alice received from bob: ${(await alice.next('message', (m) => m.from === 'bob')).text}`);
    // Everyone in a room gets every message, the sender too (that is the confirmation).
    await alice.next('message', (m) => m.from === 'alice');
    await bob.next('message', (m) => m.from === 'bob');

    const carol = await connect('carol');
    joined = await carol.join('general');
    console.log(
      `carol joined #general with ${joined.history.messages.length} messages of history (online: ${joined.presence.online.join(', ')})`,
    );

    const dave = await connect('dave');
    await dave.join('random');
    console.log('dave joined #random');
    alice.send({ type: 'message', room: 'general', text: 'Only #general sees this' });
    await Promise.all([alice, bob, carol].map((c) => c.next('message')));
    dave.send({ type: 'message', room: 'random', text: 'Anyone here?' });
    await dave.next('message');
    const fromRoom = (c: ChatClient, room: string) => c.inbox.filter((m) => m.type === 'message' && m.room === room).length;
    console.log(`dave received ${fromRoom(dave, 'general')} messages from #general; carol received ${fromRoom(carol, 'random')} from #random`);

    console.log('\n--- Rate limit: mallory sends 8 messages at once (burst 5, then 2/s) ---');
    const mallory = await connect('mallory');
    await mallory.join('general');
    await Promise.all([alice, bob, carol].map((c) => c.next('presence', (m) => m.user === 'mallory')));
    for (let i = 1; i <= 8; i++) mallory.send({ type: 'message', room: 'general', text: `spam ${i}` });
    // The server handles a socket's frames in order: once mallory's "leave" is announced, all
    // eight were handled; the answer to a later "join" arrives after every error frame.
    mallory.send({ type: 'leave', room: 'general' });
    mallory.send({ type: 'join', room: 'probe' });
    await mallory.next('history', (m) => m.room === 'probe');
    await Promise.all([alice, bob, carol].map((c) => c.next('presence', (m) => m.user === 'mallory' && m.event === 'leave')));
    const delivered = alice.inbox.filter((m) => m.type === 'message' && m.from === 'mallory').length;
    const errors = mallory.inbox.filter((m) => m.type === 'error');
    console.log(`Delivered: ${delivered}, rejected: ${errors.length} (${errors[0]?.type === 'error' ? errors[0].reason : 'none'})`);
    for (const c of [alice, bob, carol]) c.inbox.length = 0;

    console.log('\n--- Reconnection with message recovery ---');
    const lastSeen = carol.lastSeenId;
    await carol.close();
    const left = await alice.next('presence', (m) => m.user === 'carol' && m.event === 'leave');
    console.log(`carol disconnected after message #${lastSeen} (online: ${left.online.join(', ')})`);
    alice.send({ type: 'message', room: 'general', text: 'Carol, are you there?' });
    alice.send({ type: 'message', room: 'general', text: 'We ship on Friday' });
    await alice.next('message');
    await alice.next('message');
    const carolAgain = await connect('carol');
    joined = await carolAgain.join('general', lastSeen);
    console.log(`carol reconnected and recovered ${joined.history.messages.length} missed messages: ${joined.history.messages.map((m) => `"${m.text}"`).join(', ')}`);

    console.log('\n--- Load: 100 clients in #lobby, 10 broadcasts ---');
    const latencies: number[] = [];
    const onMessage = (m: ServerMessage) => {
      if (m.type === 'message' && m.room === 'lobby' && m.sentAt !== undefined) latencies.push(performance.now() - m.sentAt);
    };
    const crowd = await Promise.all(Array.from({ length: 100 }, (_, i) => connect(`user-${i + 1}`, onMessage)));
    await Promise.all(crowd.map((c) => c.join('lobby')));
    const announcer = await connect('announcer');
    await announcer.join('lobby');
    for (let i = 1; i <= 10; i++) {
      announcer.send({ type: 'message', room: 'lobby', text: `announcement ${i}`, sentAt: performance.now() });
      await announcer.next('message', (m) => m.text === `announcement ${i}`);
      await sleep(0.5); // 2 messages/s: within the per-user rate limit
    }
    await Promise.all(crowd.map(async (c) => { for (let i = 1; i <= 10; i++) await c.next('message', (m) => m.text === `announcement ${i}`); }));
    const average = latencies.reduce((a, b) => a + b, 0) / latencies.length;
    console.log(`Deliveries: ${latencies.length}/1000; latency avg ${average.toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms (goal < 100 ms)`);
  } finally {
    await Promise.all(clients.map((c) => c.close()));
    await server.close();
    console.log('\nServer closed');
  }
}

runMain(main);
