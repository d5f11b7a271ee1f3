// workload/main.mjs goes through many corpus packages for real (servers, clients, sockets, pools,
// workers, files). Bare and under `async-prof run --instrument-modules <those packages>` it must
// print the same thing and end the same way, and the trace must show the packages' own async
// functions as tasks: otherwise the comparison would only prove that nothing was instrumented.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from './corpus-files.js';
import { CORPUS, instrumentedNames } from './packages.js';
import { instrumentedModules, newTracePath, ofPackage, optionMissing, removeTraces, requireBuilt, runBare, runInstrumented, tasksByFile, withoutProfilerLines, type Outcome } from './processes.js';

const workload = join(repoRoot, 'test', 'npm-corpus', 'workload', 'main.mjs');

/** Every package main.mjs imports, and what they delegate to. */
const USED = [
  '@hapi/hapi', '@grpc/grpc-js', '@koa/router', 'amqplib', 'async', 'axios', 'bluebird', 'bottleneck', 'chokidar', 'execa',
  'express', 'fastify', 'fs-extra', 'generic-pool', 'glob', 'graceful-fs', 'got', 'hono', 'ioredis', 'kafkajs', 'keyv', 'knex', 'koa',
  'ky', 'lru-cache', 'mongodb', 'mqtt', 'mysql2', 'node-fetch', 'p-limit', 'p-map', 'p-queue', 'p-retry', 'p-throttle',
  'p-timeout', 'pg', 'pino', 'piscina', 'redis', 'socket.io', 'socket.io-client', 'superagent', 'tinypool', 'undici',
  'workerpool', 'ws',
];

/**
 * Packages whose own async functions the workload certainly calls (an exported async function,
 * or an async method on the path of what it does): each must have recorded tasks. Not every
 * package is here: fastify, undici and hono, for one, answer these requests through callbacks
 * and promise chains, and their few async functions are not on the workload's path.
 */
const MUST_RECORD_TASKS = [
  '@grpc/grpc-js', '@hapi/hapi', '@redis/client', 'execa', 'fs-extra', 'glob', 'got', 'keyv', 'ky', 'lru-cache', 'mongodb',
  'p-limit', 'p-map', 'p-queue', 'p-retry',
];

const WORKLOAD_TIMEOUT_MS = 120_000;

let bare: Outcome;
let instrumented: Outcome;
let modules: string[];
let tasks: Map<string, number> | Error;

beforeAll(async () => {
  requireBuilt();
  const names = CORPUS.filter((pkg) => USED.includes(pkg.name)).flatMap(instrumentedNames);
  bare = await runBare(workload, [], WORKLOAD_TIMEOUT_MS);
  const trace = newTracePath('workload');
  instrumented = await runInstrumented(workload, [], names, trace, WORKLOAD_TIMEOUT_MS);
  modules = instrumentedModules(trace);
  tasks = optionMissing(instrumented) ? new Map() : await tasksByFile(trace).catch((error: Error) => error);
}, 2 * WORKLOAD_TIMEOUT_MS + 30_000);

afterAll(() => removeTraces());

const notInstrumented = () => {
  if (optionMissing(instrumented)) throw new Error('`async-prof run` has no --instrument-modules option yet: the packages could not be instrumented');
};

describe('npm corpus: a workload through many packages', () => {
  it('every package it uses is in the corpus', () => {
    const names = CORPUS.map((pkg) => pkg.name);
    expect(USED.filter((name) => !names.includes(name))).toEqual([]);
  });

  it('runs bare to the end, every section without error', () => {
    expect(bare.code, bare.stderr).toBe(0);
    expect(bare.stdout.split('\n').filter((line) => / error /.test(line))).toEqual([]);
    expect(bare.stdout.trimEnd().split('\n').at(-1)).toBe('[workload] done');
  });

  it('prints the same, and exits the same, with the packages instrumented', () => {
    notInstrumented();
    expect({ code: instrumented.code, signal: instrumented.signal, stdout: instrumented.stdout, stderr: withoutProfilerLines(instrumented.stderr) }).toEqual({
      code: bare.code,
      signal: bare.signal,
      stdout: bare.stdout,
      stderr: withoutProfilerLines(bare.stderr),
    });
  });

  it("instruments every package's own files", () => {
    notInstrumented();
    const missing = USED.filter((name) => ofPackage(modules, name).length === 0);
    expect(missing, `packages none of whose files were instrumented (${modules.length} modules in all)`).toEqual([]);
  });

  it('records tasks in the async functions of the packages', () => {
    notInstrumented();
    if (tasks instanceof Error) throw tasks;
    const byFile = tasks;
    const withTasks = (name: string) => ofPackage(byFile.keys(), name).reduce((n, file) => n + byFile.get(file)!, 0);
    const counts = Object.fromEntries(MUST_RECORD_TASKS.map((name) => [name, withTasks(name)]));
    expect(Object.entries(counts).filter(([, n]) => n === 0).map(([name]) => name), JSON.stringify(counts)).toEqual([]);
  });
});
