// Timers and I/O, each attributed to the task that started it. Node offers no cheap hook for
// "a resource was created" (async_hooks also fires for every promise, ~2-3x on promise-heavy
// code), so the public APIs are wrapped instead; http goes through diagnostics_channel.
// A callback of a resource runs with its creating task as the current task, so tasks it starts
// become that task's children.
import { createRequire, syncBuiltinESMExports } from 'node:module';
import diagnostics from 'node:diagnostics_channel';
import { EventType, ResourceType } from '../contract/index.js';
import { recorder } from './runtime.js';

const require = createRequire(import.meta.url);
const RESOURCE_ID = Symbol('asyncProf.resource');

type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;

/** Records a new resource of the task on the CPU (or of `task`); returns its id. */
function created(type: number, task = recorder.currentTask()): number {
  return recorder.newResource(type, task);
}

function callbackStarted(id: number, task: number): void {
  recorder.resourceEvent(EventType.ResourceCallback, id);
  recorder.enterCallbackOf(task);
}

function callbackDone(): void {
  recorder.leaveCallback();
}

function ended(id: number): void {
  recorder.resourceEvent(EventType.ResourceEnd, id);
}

/** Copies name, length and properties such as util.promisify.custom onto the wrapper. */
function sameShape<F extends AnyFunction>(wrapper: AnyFunction, original: F): F {
  for (const key of Reflect.ownKeys(original)) {
    if (key === 'prototype') continue;
    const descriptor = Object.getOwnPropertyDescriptor(original, key)!;
    if (descriptor.configurable === false && Object.getOwnPropertyDescriptor(wrapper, key)?.configurable === false) continue;
    try {
      Object.defineProperty(wrapper, key, descriptor);
    } catch {
      // Non-configurable on the wrapper: keep the wrapper's own.
    }
  }
  return wrapper as F;
}

/** Wraps fn(..., callback): the callback marks the resource's callback and its end. */
function wrapCallbackApi(target: Record<string, unknown>, name: string, type: number): void {
  const original = target[name];
  if (typeof original !== 'function') return;
  const wrapper = function (this: unknown, ...args: unknown[]) {
    const last = args.length - 1;
    const callback = args[last];
    if (typeof callback !== 'function') return (original as AnyFunction).apply(this, args);
    const task = recorder.currentTask();
    const id = created(type, task);
    args[last] = function (this: unknown, ...results: unknown[]) {
      callbackStarted(id, task);
      try {
        return (callback as AnyFunction).apply(this, results);
      } finally {
        callbackDone();
        ended(id);
      }
    };
    return (original as AnyFunction).apply(this, args);
  };
  target[name] = sameShape(wrapper, original as AnyFunction);
}

/**
 * Wraps a promise-returning API: the promise settling is the resource's callback and end. Kept
 * to few calls and allocations: a script makes thousands of these (timers/promises' setTimeout)
 * while the wrapper still runs in the interpreter.
 */
function wrapPromiseApi(target: Record<string, unknown>, name: string, type: number): void {
  const original = target[name];
  if (typeof original !== 'function') return;
  const wrapper = function (this: unknown) {
    // `arguments`, not a rest parameter: no array per call.
    const result: unknown = Reflect.apply(original as AnyFunction, this, arguments);
    return result instanceof Promise ? settlesAsResource(result, created(type)) : result;
  };
  target[name] = sameShape(wrapper, original as AnyFunction);
}

/** Returned, not just observed: a rejection nobody handles must stay unhandled. */
function settlesAsResource<T>(promise: Promise<T>, id: number): Promise<T> {
  return promise.then(
    (value) => {
      recorder.resourceSettled(id);
      return value;
    },
    (error: unknown) => {
      recorder.resourceSettled(id);
      throw error;
    },
  );
}

const FS_ASYNC = [
  'access', 'appendFile', 'chmod', 'chown', 'close', 'copyFile', 'cp', 'fchmod', 'fchown', 'fdatasync', 'fstat',
  'fsync', 'ftruncate', 'futimes', 'lchown', 'link', 'lstat', 'lutimes', 'mkdir', 'mkdtemp', 'open', 'opendir',
  'read', 'readdir', 'readFile', 'readlink', 'readv', 'realpath', 'rename', 'rm', 'rmdir', 'stat', 'statfs',
  'symlink', 'truncate', 'unlink', 'utimes', 'write', 'writeFile', 'writev',
];
const DNS_ASYNC = ['lookup', 'lookupService', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCname', 'resolveMx', 'resolveNs', 'resolveTxt', 'resolveSrv', 'reverse'];
const ZLIB_ASYNC = ['gzip', 'gunzip', 'deflate', 'inflate', 'deflateRaw', 'inflateRaw', 'unzip', 'brotliCompress', 'brotliDecompress'];
const CRYPTO_ASYNC = ['pbkdf2', 'scrypt', 'randomBytes', 'randomFill', 'randomInt', 'generateKeyPair', 'generatePrime', 'hkdf', 'checkPrime'];

export interface OriginalTimers {
  setTimeout: typeof setTimeout;
  clearTimeout: typeof clearTimeout;
}

/** Patches everything; returns the original timer functions for the profiler's own use. */
export function trackResources(): OriginalTimers {
  const originals: OriginalTimers = { setTimeout: globalThis.setTimeout, clearTimeout: globalThis.clearTimeout };
  trackTimers();
  const fs = require('node:fs') as Record<string, unknown>;
  for (const name of FS_ASYNC) wrapCallbackApi(fs, name, ResourceType.fs);
  const fsPromises = require('node:fs/promises') as Record<string, unknown>;
  for (const name of FS_ASYNC) wrapPromiseApi(fsPromises, name, ResourceType.fs);
  const dns = require('node:dns') as Record<string, unknown>;
  for (const name of DNS_ASYNC) wrapCallbackApi(dns, name, ResourceType.dns);
  const dnsPromises = require('node:dns/promises') as Record<string, unknown>;
  for (const name of DNS_ASYNC) wrapPromiseApi(dnsPromises, name, ResourceType.dns);
  const zlib = require('node:zlib') as Record<string, unknown>;
  for (const name of ZLIB_ASYNC) wrapCallbackApi(zlib, name, ResourceType.zlib);
  const crypto = require('node:crypto') as Record<string, unknown>;
  for (const name of CRYPTO_ASYNC) wrapCallbackApi(crypto, name, ResourceType.crypto);
  trackChildProcesses();
  trackNetwork();
  syncBuiltinESMExports();
  return originals;
}

function trackTimers(): void {
  const timers = require('node:timers') as Record<string, unknown>;
  const timersPromises = require('node:timers/promises') as Record<string, unknown>;
  const g = globalThis as unknown as Record<string, unknown>;

  // One wrapper for the three: a one-shot timer ends when its callback has run; an interval
  // only when it is cleared.
  const wrapTimer = (name: 'setTimeout' | 'setImmediate' | 'setInterval', type: number, once: boolean) => {
    const original = g[name] as AnyFunction;
    // Runs cold once per timer (a script may start thousands at once): arguments, not rest
    // arrays, and the usual one- and two-argument calls passed on without a copy.
    const wrapper = function (this: unknown, callback: unknown) {
      const args = arguments;
      if (typeof callback !== 'function') return Reflect.apply(original, this, args);
      const task = recorder.currentTask();
      const id = created(type, task);
      const observed = function (this: unknown) {
        callbackStarted(id, task);
        try {
          return Reflect.apply(callback as AnyFunction, this, arguments);
        } finally {
          callbackDone();
          if (once) ended(id);
        }
      };
      const handle = (
        args.length === 1
          ? original.call(this, observed)
          : args.length === 2
            ? original.call(this, observed, args[1])
            : Reflect.apply(original, this, [observed, ...Array.prototype.slice.call(args, 1)])
      ) as Record<symbol, unknown>;
      if (handle && typeof handle === 'object') handle[RESOURCE_ID] = id;
      return handle;
    };
    g[name] = timers[name] = sameShape(wrapper, original);
  };
  wrapTimer('setTimeout', ResourceType.setTimeout, true);
  wrapTimer('setImmediate', ResourceType.setImmediate, true);
  wrapTimer('setInterval', ResourceType.setInterval, false);

  for (const [name, clearName] of [
    ['setTimeout', 'clearTimeout'],
    ['setInterval', 'clearInterval'],
    ['setImmediate', 'clearImmediate'],
  ] as const) {
    void name;
    const originalClear = g[clearName] as AnyFunction;
    const clear = function (this: unknown, handle: unknown) {
      const id = handle && typeof handle === 'object' ? (handle as Record<symbol, unknown>)[RESOURCE_ID] : undefined;
      if (typeof id === 'number') {
        (handle as Record<symbol, unknown>)[RESOURCE_ID] = undefined;
        ended(id);
      }
      return originalClear.call(this, handle);
    };
    g[clearName] = timers[clearName] = sameShape(clear, originalClear);
  }

  wrapPromiseApi(timersPromises, 'setTimeout', ResourceType.setTimeout);
  wrapPromiseApi(timersPromises, 'setImmediate', ResourceType.setImmediate);
  // util.promisify(setTimeout) goes through this property.
  const promisifyCustom = Symbol.for('nodejs.util.promisify.custom');
  for (const name of ['setTimeout', 'setImmediate'] as const) {
    try {
      Object.defineProperty(g[name] as object, promisifyCustom, { value: timersPromises[name], configurable: true });
    } catch {
      // Leave the original.
    }
  }
}

function trackChildProcesses(): void {
  const childProcess = require('node:child_process') as Record<string, unknown>;
  for (const name of ['spawn', 'exec', 'execFile', 'fork']) {
    const original = childProcess[name];
    if (typeof original !== 'function') continue;
    const wrapper = function (this: unknown, ...args: unknown[]) {
      const id = created(ResourceType.childProcess);
      const child = (original as AnyFunction).apply(this, args) as { once?: (event: string, fn: () => void) => void } | undefined;
      child?.once?.('exit', () => recorder.resourceEvent(EventType.ResourceCallback, id));
      child?.once?.('close', () => ended(id));
      return child;
    };
    childProcess[name] = sameShape(wrapper, original as AnyFunction);
  }
}

function trackNetwork(): void {
  const requests = new WeakMap<object, number>();
  const onSocket = (message: unknown) => {
    const socket = (message as { socket?: { once?: (e: string, f: () => void) => void } }).socket;
    if (!socket) return;
    const id = created(ResourceType.tcp);
    socket.once?.('close', () => ended(id));
  };
  diagnostics.subscribe('net.client.socket', onSocket);
  diagnostics.subscribe('net.server.socket', onSocket);
  diagnostics.subscribe('http.client.request.start', (message) => {
    const request = (message as { request?: object }).request;
    if (request) requests.set(request, created(ResourceType.httpClient));
  });
  diagnostics.subscribe('http.client.response.finish', (message) => {
    const request = (message as { request?: object }).request;
    const id = request ? requests.get(request) : undefined;
    if (id !== undefined) {
      recorder.resourceEvent(EventType.ResourceCallback, id);
      ended(id);
    }
  });
  diagnostics.subscribe('http.server.request.start', (message) => {
    const response = (message as { response?: object }).response;
    if (response) requests.set(response, created(ResourceType.httpServer));
  });
  diagnostics.subscribe('http.server.response.finish', (message) => {
    const response = (message as { response?: object }).response;
    const id = response ? requests.get(response) : undefined;
    if (id !== undefined) ended(id);
  });
  // fetch starts its socket several ticks later; the call itself is where the task is known.
  wrapPromiseApi(globalThis as unknown as Record<string, unknown>, 'fetch', ResourceType.fetch);
}
