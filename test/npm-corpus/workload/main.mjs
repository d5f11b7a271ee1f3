// A workload through many corpus packages at once, as an application would use them: HTTP
// servers (fastify, koa, express, hapi, hono) called by HTTP clients (undici, got, axios,
// node-fetch, superagent, ky), WebSocket and socket.io echoes, a gRPC call, Redis clients against
// a tiny RESP server, promise utilities, queues, pools, worker threads, caches, files, a child
// process, and database and broker drivers failing to connect to a closed port.
//
// Everything is on 127.0.0.1. The output is deterministic: no times, no ports, sorted wherever
// the order is not guaranteed, so that a bare run and an instrumented run can be compared byte
// for byte. A section that throws prints the error and the workload goes on, so one difference
// does not hide the others.
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

import Hapi from '@hapi/hapi';
import * as grpc from '@grpc/grpc-js';
import Router from '@koa/router';
import amqplib from 'amqplib';
import async from 'async';
import axios from 'axios';
import Bluebird from 'bluebird';
import Bottleneck from 'bottleneck';
import chokidar from 'chokidar';
import { execa } from 'execa';
import express from 'express';
import Fastify from 'fastify';
import fse from 'fs-extra';
import genericPool from 'generic-pool';
import { glob } from 'glob';
import gracefulFs from 'graceful-fs';
import got from 'got';
import { Hono } from 'hono';
import Redis from 'ioredis';
import { Kafka, logLevel as kafkaLogLevel } from 'kafkajs';
import Keyv from 'keyv';
import knex from 'knex';
import Koa from 'koa';
import ky from 'ky';
import { LRUCache } from 'lru-cache';
import { MongoClient } from 'mongodb';
import mqtt from 'mqtt';
import mysql from 'mysql2/promise';
import fetch from 'node-fetch';
import pLimit from 'p-limit';
import pMap from 'p-map';
import PQueue from 'p-queue';
import pRetry from 'p-retry';
import pThrottle from 'p-throttle';
import pTimeout from 'p-timeout';
import pg from 'pg';
import pino from 'pino';
import Piscina from 'piscina';
import { createClient } from 'redis';
import { Server as SocketIoServer } from 'socket.io';
import { io as socketIoClient } from 'socket.io-client';
import superagent from 'superagent';
import Tinypool from 'tinypool';
import { Pool as UndiciPool, request } from 'undici';
import workerpool from 'workerpool';
import { WebSocket, WebSocketServer } from 'ws';

import { startRespServer } from './resp-server.mjs';

// Nothing here may leave the machine, whatever the environment says about proxies.
for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'http_proxy', 'https_proxy', 'all_proxy']) delete process.env[name];

const here = dirname(fileURLToPath(import.meta.url));
const WATCHDOG_MS = 60_000;
const watchdog = setTimeout(() => {
  console.log('[workload] still running after 60 s: something kept the process alive');
  process.exit(3);
}, WATCHDOG_MS);
watchdog.unref();

/** Ports and temporary paths differ from run to run; the rest of a message is kept. */
function clean(text) {
  return String(text)
    .replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT')
    .replace(/localhost:\d+/g, 'localhost:PORT')
    .replace(/port \d+/gi, 'port PORT')
    .split(tmpdir())
    .join('TMP');
}

/**
 * Runs one part of the workload. `defer` registers its clean-up (close a server, stop a pool),
 * which runs even when the part fails, so that a failure does not keep the process alive.
 */
async function section(name, body) {
  const say = (...parts) => console.log(`[${name}] ${clean(parts.join(' '))}`);
  const cleanups = [];
  const report = (error) => say('error', error?.name ?? typeof error, error?.code ?? '', error?.message ?? String(error));
  try {
    await body(say, (cleanup) => cleanups.unshift(cleanup));
  } catch (error) {
    report(error);
  }
  for (const cleanup of cleanups) {
    try {
      await cleanup();
    } catch (error) {
      report(error);
    }
  }
}

/**
 * Tracks how many callers are inside at once. Printed as "within N": whether the limit held.
 * The exact peak depends on timing (a loaded machine can finish one job before the next starts).
 */
function gauge() {
  let now = 0;
  let max = 0;
  return {
    async run(fn) {
      now++;
      max = Math.max(max, now);
      try {
        return await fn();
      } finally {
        now--;
      }
    },
    within(limit) {
      return `within ${limit} ${max >= 1 && max <= limit}`;
    },
  };
}

/** A port that was just free: nothing listens on it, so a connection is refused at once. */
async function closedPort() {
  const server = createNetServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

// ---------------------------------------------------------------------------------------------
// Servers

const logLines = [];
const logStream = new Writable({
  write(chunk, _encoding, done) {
    for (const line of chunk.toString().split('\n')) if (line) logLines.push(JSON.parse(line));
    done();
  },
});
const logger = pino({ base: null, timestamp: false }, logStream);

const fastify = Fastify({ loggerInstance: logger });
fastify.get('/items/:id', async (req) => {
  await sleep(2);
  const id = Number(req.params.id);
  return { id, square: id * id };
});
fastify.post('/echo', async (req) => ({ got: req.body }));
fastify.get('/fail', async () => {
  await sleep(1);
  throw new Error('boom');
});
await fastify.listen({ port: 0, host: '127.0.0.1' });
const fastifyUrl = `http://127.0.0.1:${fastify.server.address().port}`;

const koa = new Koa();
const router = new Router();
router.get('/hello/:name', async (ctx) => {
  await sleep(1);
  ctx.body = { hello: ctx.params.name };
});
koa.use(async (ctx, next) => {
  await next();
  ctx.set('x-handled-by', 'koa');
});
koa.use(router.routes());
const koaServer = koa.listen(0, '127.0.0.1');
await once(koaServer, 'listening');
const koaUrl = `http://127.0.0.1:${koaServer.address().port}`;

const app = express();
app.get('/sum', async (req, res) => {
  await sleep(1);
  res.json({ sum: Number(req.query.a) + Number(req.query.b) });
});
app.get('/reject', async () => {
  await sleep(1);
  throw new Error('rejected in express');
});
app.use((error, _req, res, _next) => res.status(500).json({ error: error.message }));
const expressServer = app.listen(0, '127.0.0.1');
await once(expressServer, 'listening');
const expressUrl = `http://127.0.0.1:${expressServer.address().port}`;

const hapi = Hapi.server({ port: 0, host: '127.0.0.1' });
hapi.route({
  method: 'GET',
  path: '/double/{n}',
  handler: async (req) => {
    await sleep(1);
    return { double: Number(req.params.n) * 2 };
  },
});
await hapi.start();
const hapiUrl = hapi.info.uri;

// ---------------------------------------------------------------------------------------------
// HTTP clients against those servers

await section('undici', async (say, defer) => {
  const { statusCode, body } = await request(`${fastifyUrl}/items/3`);
  say('request', statusCode, JSON.stringify(await body.json()));
  const pool = new UndiciPool(fastifyUrl, { connections: 2 });
  defer(() => pool.close());
  const squares = await Promise.all(
    [1, 2, 3, 4, 5, 6].map(async (id) => {
      const res = await pool.request({ path: `/items/${id}`, method: 'GET' });
      return (await res.body.json()).square;
    }),
  );
  say('pool', squares.join(','));
});

await section('got', async (say) => {
  say('get', JSON.stringify(await got(`${koaUrl}/hello/got`).json()));
  say('post', JSON.stringify(await got.post(`${fastifyUrl}/echo`, { json: { a: [1, 2] } }).json()));
  const failed = await got(`${fastifyUrl}/fail`, { throwHttpErrors: false, retry: { limit: 0 } });
  say('fail', failed.statusCode, JSON.parse(failed.body).message);
});

await section('axios', async (say) => {
  say('get', JSON.stringify((await axios.get(`${expressUrl}/sum`, { params: { a: 2, b: 3 } })).data));
  try {
    await axios.get(`${expressUrl}/reject`);
    say('reject', 'resolved?');
  } catch (error) {
    say('reject', error.response.status, JSON.stringify(error.response.data));
  }
});

await section('node-fetch', async (say) => {
  const res = await fetch(`${hapiUrl}/double/21`);
  say(res.status, JSON.stringify(await res.json()));
});

await section('superagent', async (say) => {
  const res = await superagent.get(`${fastifyUrl}/items/7`);
  say(res.status, JSON.stringify(res.body));
});

await section('ky', async (say) => {
  const res = await ky.get(`${koaUrl}/hello/ky`);
  say(res.status, res.headers.get('x-handled-by'), JSON.stringify(await res.json()));
});

await section('light-my-request', async (say) => {
  const res = await fastify.inject({ method: 'GET', url: '/items/2' });
  say(res.statusCode, res.body);
});

await section('hono', async (say) => {
  const hono = new Hono();
  hono.get('/h/:n', async (c) => {
    await sleep(1);
    return c.json({ n: Number(c.req.param('n')) + 1 });
  });
  const res = await hono.request('/h/41');
  say(res.status, JSON.stringify(await res.json()));
});

// ---------------------------------------------------------------------------------------------
// Real-time

await section('ws', async (say, defer) => {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(wss, 'listening');
  defer(() => new Promise((resolve) => wss.close(resolve)));
  wss.on('connection', (socket) => socket.on('message', (data) => socket.send(String(data).toUpperCase())));
  const client = new WebSocket(`ws://127.0.0.1:${wss.address().port}`);
  defer(() => client.terminate());
  await once(client, 'open');
  const replies = [];
  const all = new Promise((resolve) =>
    client.on('message', (data) => {
      replies.push(String(data));
      if (replies.length === 3) resolve();
    }),
  );
  for (const word of ['one', 'two', 'three']) client.send(word);
  await all;
  say(replies.join(' '));
  client.close();
  await once(client, 'close');
});

await section('socket.io', async (say, defer) => {
  const http = createHttpServer();
  const ioServer = new SocketIoServer(http);
  defer(() => new Promise((resolve) => ioServer.close(resolve)));
  ioServer.on('connection', (socket) => {
    socket.on('add', async (a, b, ack) => {
      await sleep(1);
      ack(a + b);
    });
  });
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  const client = socketIoClient(`http://127.0.0.1:${http.address().port}`, { transports: ['websocket'], reconnection: false });
  defer(() => client.disconnect());
  await once(client, 'connect');
  const sum = await client.timeout(5000).emitWithAck('add', 40, 2);
  say('ack', sum);
});

await section('grpc', async (say, defer) => {
  const json = { serialize: (value) => Buffer.from(JSON.stringify(value)), deserialize: (bytes) => JSON.parse(bytes.toString()) };
  const service = {
    shout: { path: '/workload.Echo/Shout', requestStream: false, responseStream: false, requestSerialize: json.serialize, requestDeserialize: json.deserialize, responseSerialize: json.serialize, responseDeserialize: json.deserialize },
    count: { path: '/workload.Echo/Count', requestStream: false, responseStream: true, requestSerialize: json.serialize, requestDeserialize: json.deserialize, responseSerialize: json.serialize, responseDeserialize: json.deserialize },
  };
  const server = new grpc.Server();
  defer(() => server.forceShutdown());
  server.addService(service, {
    shout: (call, callback) => callback(null, { text: call.request.text.toUpperCase() }),
    count: async (call) => {
      for (let i = 1; i <= call.request.to; i++) {
        await sleep(1);
        call.write({ i });
      }
      call.end();
    },
  });
  const port = await new Promise((resolve, reject) => server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))));
  const Client = grpc.makeGenericClientConstructor(service, 'Echo');
  const client = new Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  defer(() => client.close());
  const reply = await new Promise((resolve, reject) => client.shout({ text: 'hi' }, (error, value) => (error ? reject(error) : resolve(value))));
  say('unary', JSON.stringify(reply));
  const counted = [];
  for await (const message of client.count({ to: 3 })) counted.push(message.i);
  say('stream', counted.join(','));
});

// ---------------------------------------------------------------------------------------------
// Redis clients against the RESP server

const resp = await startRespServer();

await section('ioredis', async (say, defer) => {
  const client = new Redis({ host: '127.0.0.1', port: resp.port, lazyConnect: true, maxRetriesPerRequest: 0 });
  defer(() => client.disconnect());
  await client.connect();
  say('set', await client.set('io:a', 'alpha'));
  say('get', await client.get('io:a'));
  const counts = await Promise.all([client.incr('io:n'), client.incr('io:n'), client.incr('io:n')]);
  say('incr', counts.join(','));
  say('pipeline', JSON.stringify(await client.pipeline().set('io:b', 'beta').get('io:b').exec()));
  say('quit', await client.quit());
});

await section('redis', async (say, defer) => {
  const client = createClient({ RESP: 2, socket: { host: '127.0.0.1', port: resp.port, reconnectStrategy: false } });
  client.on('error', () => {});
  defer(() => client.isOpen && client.destroy());
  await client.connect();
  say('set', await client.set('nr:a', 'alpha'));
  say('get', await client.get('nr:a'));
  say('incr', (await Promise.all([client.incr('nr:n'), client.incr('nr:n')])).join(','));
  await client.quit();
});

await resp.close();

// ---------------------------------------------------------------------------------------------
// Drivers that find nothing listening: their connect paths, timers and error handling still run

const refused = await closedPort();

await section('pg', async (say) => {
  const client = new pg.Client({ host: '127.0.0.1', port: refused, user: 'u', database: 'd', connectionTimeoutMillis: 2000 });
  await client.connect().then(
    () => say('connected?'),
    (error) => say('refused', error.code),
  );
});

await section('mysql2', async (say) => {
  await mysql.createConnection({ host: '127.0.0.1', port: refused, user: 'u', connectTimeout: 2000 }).then(
    () => say('connected?'),
    (error) => say('refused', error.code),
  );
});

await section('knex', async (say, defer) => {
  const warnings = [];
  const db = knex({
    client: 'pg',
    connection: { host: '127.0.0.1', port: refused, user: 'u', database: 'd' },
    pool: { min: 0, max: 1 },
    acquireConnectionTimeout: 2000,
    // Its warnings name the port and carry a stack: count them instead.
    log: { warn: (message) => warnings.push(message), error: (message) => warnings.push(message) },
  });
  defer(() => db.destroy());
  say('sql', db('items').where({ id: 1 }).select('name').toString());
  await db.raw('select 1').then(
    () => say('connected?'),
    (error) => say('refused', error.code, 'warned', warnings.length > 0),
  );
});

await section('amqplib', async (say) => {
  await amqplib.connect(`amqp://127.0.0.1:${refused}`).then(
    () => say('connected?'),
    (error) => say('refused', error.code),
  );
});

await section('mqtt', async (say) => {
  await mqtt.connectAsync(`mqtt://127.0.0.1:${refused}`, { reconnectPeriod: 0, connectTimeout: 2000 }).then(
    () => say('connected?'),
    (error) => say('refused', error.code),
  );
});

await section('kafkajs', async (say) => {
  const kafka = new Kafka({ clientId: 'workload', brokers: [`127.0.0.1:${refused}`], logLevel: kafkaLogLevel.NOTHING, retry: { retries: 0 }, connectionTimeout: 2000 });
  await kafka
    .producer()
    .connect()
    .then(
      () => say('connected?'),
      (error) => say('refused', error.name, error.cause?.code ?? error.code),
    );
});

await section('mongodb', async (say, defer) => {
  const client = new MongoClient(`mongodb://127.0.0.1:${refused}`, { serverSelectionTimeoutMS: 300, directConnection: true });
  defer(() => client.close());
  await client.connect().then(
    () => say('connected?'),
    (error) => say('refused', error.name),
  );
});

// ---------------------------------------------------------------------------------------------
// Promise utilities, queues, pools

await section('p-queue', async (say) => {
  const queue = new PQueue({ concurrency: 2 });
  const inside = gauge();
  const results = [];
  for (let i = 1; i <= 6; i++) queue.add(() => inside.run(async () => (await sleep(2), results.push(i * 10))));
  await queue.onIdle();
  say('results', results.sort((a, b) => a - b).join(','), inside.within(2));
});

await section('p-limit', async (say) => {
  const limit = pLimit(3);
  const inside = gauge();
  const values = await Promise.all([1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => limit(() => inside.run(async () => (await sleep(1), n * n)))));
  say(values.join(','), inside.within(3));
});

await section('p-map', async (say) => {
  const inside = gauge();
  const lengths = await pMap(['a', 'bb', 'ccc', 'dddd'], (word) => inside.run(async () => (await sleep(1), word.length)), { concurrency: 2 });
  say(lengths.join(','), inside.within(2));
});

await section('p-retry', async (say) => {
  let attempts = 0;
  const value = await pRetry(
    async () => {
      attempts++;
      await sleep(1);
      if (attempts < 3) throw new Error(`attempt ${attempts} failed`);
      return 'finally';
    },
    { retries: 5, minTimeout: 1, factor: 1 },
  );
  say(value, 'after', attempts, 'attempts');
});

await section('p-timeout', async (say) => {
  await pTimeout(new Promise(() => {}), { milliseconds: 10 }).catch((error) => say(error.name, error.message));
  say('in time', await pTimeout(sleep(1).then(() => 'ok'), { milliseconds: 5000 }));
});

await section('p-throttle', async (say) => {
  const throttled = pThrottle({ limit: 2, interval: 10 })(async (n) => n + 100);
  say((await Promise.all([1, 2, 3, 4, 5].map((n) => throttled(n)))).join(','));
});

await section('async', async (say) => {
  const doubled = await async.mapLimit([1, 2, 3, 4, 5], 2, async (n) => (await sleep(1), n * 2));
  say('mapLimit', doubled.join(','));
  const total = await new Promise((resolve, reject) =>
    async.waterfall(
      [(done) => setImmediate(() => done(null, 1)), (n, done) => setImmediate(() => done(null, n + 2)), (n, done) => done(null, n * 10)],
      (error, value) => (error ? reject(error) : resolve(value)),
    ),
  );
  say('waterfall', total);
  let tries = 0;
  const retried = await async.retry({ times: 4, interval: 1 }, async () => {
    if (++tries < 3) throw new Error('not yet');
    return tries;
  });
  say('retry', retried);
});

await section('bluebird', async (say) => {
  const inside = gauge();
  const mapped = await Bluebird.map([3, 1, 2], (n) => inside.run(async () => (await Bluebird.delay(n), n * 3)), { concurrency: 2 });
  say('map', mapped.join(','), inside.within(2));
  const readFileAsync = Bluebird.promisify(gracefulFs.readFile);
  say('promisify', JSON.parse(await readFileAsync(join(here, '..', '..', '..', 'package.json'), 'utf8')).name);
  say('props', JSON.stringify(await Bluebird.props({ a: Bluebird.resolve(1), b: Bluebird.delay(1).then(() => 2) })));
});

await section('bottleneck', async (say, defer) => {
  const limiter = new Bottleneck({ maxConcurrent: 2 });
  defer(() => limiter.stop({ dropWaitingJobs: true }));
  const inside = gauge();
  const values = await Promise.all([1, 2, 3, 4, 5].map((n) => limiter.schedule(() => inside.run(async () => (await sleep(1), n - 1)))));
  say(values.join(','), inside.within(2));
});

await section('generic-pool', async (say, defer) => {
  let created = 0;
  const pool = genericPool.createPool(
    {
      create: async () => ({ id: ++created }),
      destroy: async () => {},
    },
    { max: 2, min: 0 },
  );
  defer(async () => {
    await pool.drain();
    await pool.clear();
  });
  const inside = gauge();
  const used = await Promise.all([1, 2, 3, 4, 5].map(() => pool.use((resource) => inside.run(async () => (await sleep(1), resource.id > 0)))));
  say('used', used.filter(Boolean).length, inside.within(2), 'created', created);
});

await section('piscina', async (say, defer) => {
  const pool = new Piscina({ filename: join(here, 'worker-task.mjs'), maxThreads: 2 });
  defer(() => pool.destroy());
  say((await Promise.all([pool.run({ a: 6, b: 7 }), pool.run({ a: 3, b: 3 })])).join(','));
});

await section('tinypool', async (say, defer) => {
  const pool = new Tinypool({ filename: join(here, 'worker-task.mjs'), maxThreads: 2 });
  defer(() => pool.destroy());
  say(await pool.run({ a: 5, b: 5 }));
});

await section('workerpool', async (say, defer) => {
  const pool = workerpool.pool({ maxWorkers: 1, workerType: 'thread' });
  defer(() => pool.terminate());
  // workerpool sends the function's source text to the worker and evaluates it there.
  const value = await pool.exec(
    async function power(base, exponent) {
      let result = 1;
      for (let i = 0; i < exponent; i++) result *= await Promise.resolve(base);
      return result;
    },
    [2, 10],
  );
  say('exec', value);
});

// ---------------------------------------------------------------------------------------------
// Caches

await section('lru-cache', async (say) => {
  let loads = 0;
  const cache = new LRUCache({
    max: 3,
    fetchMethod: async (key) => {
      loads++;
      await sleep(1);
      return key.toUpperCase();
    },
  });
  const values = [await cache.fetch('a'), await cache.fetch('b'), await cache.fetch('a')];
  for (const key of ['c', 'd', 'e']) cache.set(key, key);
  say(values.join(','), 'loads', loads, 'size', cache.size, 'has a', cache.has('a'));
});

await section('keyv', async (say) => {
  const store = new Keyv();
  await store.set('kept', { n: 1 }, 60_000);
  await store.set('short', 'gone soon', 5);
  await sleep(30);
  say('kept', JSON.stringify(await store.get('kept')), 'short', String(await store.get('short')));
  say('deleted', await store.delete('kept'));
});

// ---------------------------------------------------------------------------------------------
// Files and processes

const work = await fse.mkdtemp(join(tmpdir(), 'async-prof-workload-'));

await section('fs-extra', async (say) => {
  await fse.outputFile(join(work, 'a', 'b', 'one.txt'), 'one');
  await fse.outputFile(join(work, 'a', 'two.txt'), 'two');
  await fse.writeJson(join(work, 'a', 'data.json'), { ok: true });
  await fse.copy(join(work, 'a'), join(work, 'copy'));
  say('copied json', JSON.stringify(await fse.readJson(join(work, 'copy', 'data.json'))));
  say('exists', await fse.pathExists(join(work, 'copy', 'b', 'one.txt')));
});

await section('glob', async (say) => {
  const found = await glob('**/*.txt', { cwd: work, posix: true });
  say(found.sort().join(' '));
});

await section('graceful-fs', async (say) => {
  const names = await new Promise((resolve, reject) => gracefulFs.readdir(join(work, 'a'), (error, list) => (error ? reject(error) : resolve(list))));
  say(names.sort().join(' '));
  say(await readFile(join(work, 'a', 'two.txt'), 'utf8'));
});

await section('chokidar', async (say, defer) => {
  const watcher = chokidar.watch(work, { ignoreInitial: true });
  defer(() => watcher.close());
  await once(watcher, 'ready');
  const added = new Promise((resolve) => watcher.on('add', (path) => resolve(basename(path))));
  await fse.outputFile(join(work, 'watched.txt'), 'hello');
  const name = await pTimeout(added, { milliseconds: 10_000, message: 'no add event within 10 s' });
  say('add', name);
});

await section('execa', async (say) => {
  const { stdout, exitCode } = await execa(process.execPath, ['-e', 'console.log("child says hi")'], { env: { NODE_OPTIONS: '' } });
  say(exitCode, stdout);
});

await fse.remove(work);

// ---------------------------------------------------------------------------------------------
// Shut down; then what pino logged, in a stable order

await fastify.close();
await new Promise((resolve) => koaServer.close(resolve));
await new Promise((resolve) => expressServer.close(resolve));
await hapi.stop();

await section('pino', async (say) => {
  logger.child({ component: 'workload' }).info({ done: true }, 'workload finished');
  await new Promise((resolve) => setImmediate(resolve));
  const lines = logLines.map((entry) => [entry.level, entry.component ?? '', entry.msg, entry.res?.statusCode ?? ''].join(' ').trim());
  say(lines.length, 'lines');
  for (const line of [...new Set(lines)].sort()) say(line);
});

console.log('[workload] done');
