// Timers and I/O, each attributed to the task that started it. Node offers no cheap hook for
// "a resource was created" (async_hooks also fires for every promise, ~2-3x on promise-heavy
// code), so the public APIs are wrapped instead; http goes through diagnostics_channel.
// A callback of a resource runs with its creating task as the current task, so tasks it starts
// become that task's children.
import { createRequire, syncBuiltinESMExports } from 'node:module';
import diagnostics from 'node:diagnostics_channel';
import { disguiseAs } from './fidelity/stack-trace.js';
import { observeChildEvents } from './child-events.js';
import { ownCallback } from './own-callbacks.js';
import { primordials } from './primordials.js';
import { EventType, ResourceType } from '../contract/index.js';
import { RouteTable, routeName } from './request-routes.js';
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

/**
 * Copies name, length and properties such as util.promisify.custom onto the wrapper, and gives
 * it the original's source text (fidelity/to-string.ts).
 */
function sameShape<F extends AnyFunction>(wrapper: AnyFunction, original: F): F {
  disguiseAs(wrapper, original);
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
 * Wraps a promise-returning API: records which task started it, and hands back the very
 * promise the API returned. Watching it settle would take a reaction on it, which marks a
 * rejection as handled (a forgotten await would no longer crash the program as it does bare), or
 * a derived promise, which costs the program a microtask tick; so the resource's end is not
 * recorded (the task that awaits it shows the wait). Kept to few calls and allocations: a
 * script makes thousands of these (timers/promises' setTimeout).
 */
function wrapPromiseApi(target: Record<string, unknown>, name: string, type: number): void {
  const original = target[name];
  if (typeof original !== 'function') return;
  const wrapper = function (this: unknown) {
    // `arguments`, not a rest parameter: no array per call.
    const result: unknown = primordials.apply(original as AnyFunction, this, arguments as unknown as unknown[]);
    if (result instanceof primordials.Promise) created(type);
    return result;
  };
  target[name] = sameShape(wrapper, original as AnyFunction);
}

/**
 * timers/promises: the API's own promise is handed back untouched (see wrapPromiseApi); when it
 * fires is learnt from a companion timer of the same kind and delay, started just before it: it
 * is queued right ahead of the API's own, so its callback runs just before the one that resolves
 * the promise, in the same pass of the loop. Unref'd (it never keeps the process alive); an
 * aborted timer's companion records nothing.
 */
function wrapTimerPromise(target: Record<string, unknown>, name: 'setTimeout' | 'setImmediate', type: number, schedule: AnyFunction): void {
  const original = target[name];
  if (typeof original !== 'function') return;
  const wrapper = function (this: unknown, delayOrValue?: unknown) {
    const args = arguments;
    const options = (name === 'setTimeout' ? args[2] : args[1]) as { signal?: { aborted?: boolean } } | undefined;
    const task = recorder.currentTask();
    const id = created(type, task);
    let companion: { unref?: () => void } | undefined;
    try {
      const onFire = ownCallback(() => {
        if (options?.signal?.aborted !== true) recorder.resourceSettled(id);
      });
      // Node's own coercion of the delay, without calling anything of the program's (valueOf).
      const asked = typeof delayOrValue === 'number' || typeof delayOrValue === 'string' ? Number(delayOrValue) : NaN;
      const delay = asked >= 1 && asked <= 2 ** 31 - 1 ? asked : 1;
      // A delay Node would warn about (overflow): no companion, which would warn a second time.
      if (!(asked > 2 ** 31 - 1)) {
        companion = (name === 'setTimeout' ? schedule(onFire, delay) : schedule(onFire)) as { unref?: () => void };
        companion?.unref?.();
      }
    } catch {
      // The API validates its own arguments below, as it would bare.
    }
    return primordials.apply(original as AnyFunction, this, args as unknown as unknown[]);
  };
  target[name] = sameShape(wrapper, original as AnyFunction);
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

export interface TrackOptions {
  /** Writes the names of new HTTP request routes (the Routes record); without it requests are not named. */
  announceRoutes?: (firstId: number, names: string[]) => void;
}

/** Patches everything; returns the original timer functions for the profiler's own use. */
export function trackResources(options: TrackOptions = {}): OriginalTimers {
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
  trackNetwork(options.announceRoutes ? new RouteTable(options.announceRoutes) : null);
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
      // Unnamed (not `const observed = function`, which would name it): util.inspect of the
      // timer shows the wrapper where it showed the callback.
      const observed: AnyFunction = [function (this: unknown) {
        callbackStarted(id, task);
        try {
          return primordials.apply(callback as AnyFunction, this, arguments as unknown as unknown[]);
        } finally {
          callbackDone();
          if (once) ended(id);
        }
      }][0]!;
      if ((callback as AnyFunction).name !== '') primordials.defineProperty(observed, 'name', { value: (callback as AnyFunction).name });
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

  wrapTimerPromise(timersPromises, 'setTimeout', ResourceType.setTimeout, primordials.setTimeout as unknown as AnyFunction);
  wrapTimerPromise(timersPromises, 'setImmediate', ResourceType.setImmediate, primordials.setImmediate as unknown as AnyFunction);
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
  // Which resource each child is; its exit and close as Node emits them (child-events.ts).
  const resourceOf = new primordials.WeakMap<object, number>();
  observeChildEvents((child, event) => {
    const id = resourceOf.get(child);
    if (id !== undefined && event === 'exit') recorder.resourceEvent(EventType.ResourceCallback, id);
    else if (id !== undefined && event === 'close') ended(id);
  });
  for (const name of ['spawn', 'exec', 'execFile', 'fork']) {
    const original = childProcess[name];
    if (typeof original !== 'function') continue;
    const wrapper = function (this: unknown, ...args: unknown[]) {
      const id = created(ResourceType.childProcess);
      const child = (original as AnyFunction).apply(this, args);
      if (typeof child === 'object' && child !== null) resourceOf.set(child, id);
      return child;
    };
    childProcess[name] = sameShape(wrapper, original as AnyFunction);
  }
}

function trackNetwork(routes: RouteTable | null): void {
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
  // A request is published here as its headers have been parsed, in the same callback that read
  // them off the socket and right before the server emits 'request': the earliest moment the
  // process sees it (a request that arrived while the loop was busy waited in the kernel unseen).
  diagnostics.subscribe('http.server.request.start', (message) => {
    const response = (message as { response?: object }).response;
    if (response) requests.set(response, recorder.newResourceNow(ResourceType.httpServer, recorder.currentTask()));
  });
  diagnostics.subscribe('http.server.response.finish', (message) => {
    const { request, response } = message as { request?: object; response?: object };
    const id = response ? requests.get(response) : undefined;
    if (id === undefined) return;
    if (routes !== null && request) recorder.requestRoute(id, routes.idOf(routeName(request)));
    ended(id);
  });
  trackFetch();
}

/**
 * fetch: the call is where the task is known; the request itself is created several ticks later
 * by undici, which says so on its diagnostics channels (create, then headers, which is when the
 * fetch promise resolves, or error). Calls and requests are paired by URL, in call order. The
 * promise is never touched (see wrapPromiseApi).
 */
function trackFetch(): void {
  const g = globalThis as unknown as Record<string, unknown>;
  const original = g.fetch;
  if (typeof original !== 'function') return;
  const pending = new Map<string, number[]>();
  const byRequest = new WeakMap<object, number>();
  const urlOf = (input: unknown): string | null => {
    if (typeof input === 'string') return input;
    if (input instanceof URL) return input.href;
    const url = (input as { url?: unknown } | null)?.url;
    return typeof url === 'string' ? url : null;
  };
  const wrapper = function (this: unknown, input: unknown) {
    const id = created(ResourceType.fetch);
    let url: string | null = null;
    try {
      url = urlOf(input);
      if (url !== null) url = new URL(url).href;
    } catch {
      url = null;
    }
    if (url !== null) {
      const queue = pending.get(url);
      if (queue) queue.push(id);
      else pending.set(url, [id]);
    }
    return primordials.apply(original as AnyFunction, this, arguments as unknown as unknown[]);
  };
  g.fetch = sameShape(wrapper, original as AnyFunction);
  diagnostics.subscribe('undici:request:create', (message) => {
    const request = (message as { request?: { origin?: string; path?: string } }).request;
    if (!request || typeof request.origin !== 'string' || typeof request.path !== 'string') return;
    let url: string;
    try {
      url = new URL(request.path, request.origin).href;
    } catch {
      return;
    }
    const queue = pending.get(url);
    const id = queue?.shift();
    if (queue && queue.length === 0) pending.delete(url);
    if (id !== undefined) byRequest.set(request, id);
  });
  const settled = (message: unknown) => {
    const request = (message as { request?: object }).request;
    const id = request ? byRequest.get(request) : undefined;
    if (id === undefined) return;
    byRequest.delete(request!);
    recorder.resourceSettled(id);
  };
  diagnostics.subscribe('undici:request:headers', settled);
  diagnostics.subscribe('undici:request:error', settled);
}
