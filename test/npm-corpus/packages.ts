// The corpus: popular npm packages whose code is mostly asynchronous (servers, clients, drivers,
// queues, pools, promise utilities, streams, file system helpers). docs/npm-corpus.md says why
// each is here and why some were left out.
//
// Every name is a devDependency pinned to an exact version (express is a runtime dependency of
// async-prof itself and is used at the version installed for that). `also` lists the packages a
// thin entry package delegates its real work to: their files join the transform corpus, and the
// load test instruments them together with the entry package.

export interface CorpusPackage {
  name: string;
  also?: string[];
}

export const CORPUS: CorpusPackage[] = [
  // HTTP servers and frameworks
  { name: 'fastify', also: ['avvio', 'find-my-way', 'light-my-request'] },
  { name: 'express', also: ['router'] },
  { name: 'koa' },
  { name: '@koa/router' },
  { name: '@hapi/hapi' },
  { name: 'hono' },
  // HTTP clients
  { name: 'undici' },
  { name: 'got' },
  { name: 'axios' },
  { name: 'node-fetch' },
  { name: 'superagent' },
  { name: 'ky' },
  // Real-time
  { name: 'ws' },
  { name: 'socket.io', also: ['engine.io'] },
  { name: 'socket.io-client', also: ['engine.io-client'] },
  { name: 'mqtt' },
  // Database and message-broker drivers
  { name: 'mongodb' },
  { name: 'ioredis' },
  { name: 'redis', also: ['@redis/client'] },
  { name: 'pg', also: ['pg-pool', 'pg-protocol'] },
  { name: 'mysql2' },
  { name: 'knex' },
  { name: 'amqplib' },
  { name: 'kafkajs' },
  { name: '@grpc/grpc-js' },
  // Logging
  { name: 'pino' },
  // Concurrency, queues, pools, promise utilities
  { name: 'p-queue' },
  { name: 'p-limit' },
  { name: 'p-map' },
  { name: 'p-retry' },
  { name: 'p-throttle' },
  { name: 'p-timeout' },
  { name: 'async' },
  { name: 'bluebird' },
  { name: 'bottleneck' },
  { name: 'generic-pool' },
  { name: 'piscina' },
  { name: 'tinypool' },
  { name: 'workerpool' },
  // Caches and key-value stores
  { name: 'lru-cache' },
  { name: 'keyv' },
  // File system and processes
  { name: 'graceful-fs' },
  { name: 'fs-extra' },
  { name: 'glob' },
  { name: 'chokidar' },
  { name: 'execa' },
];

/** The package and the ones it delegates to: what `--instrument-modules` is given for it. */
export function instrumentedNames(pkg: CorpusPackage): string[] {
  return [pkg.name, ...(pkg.also ?? [])];
}
