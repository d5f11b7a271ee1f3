// The instrumented modules of this process, by the names V8 gives their scripts (a path for
// CommonJS, a file: URL for ES modules): what fidelity/ needs to give the program back the
// original text and positions. Modules compiled in the loader thread arrive as messages; they
// are read synchronously whenever something here is asked, so none is ever missing.
import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import type { ModuleTable } from './transform.js';

export interface InstrumentedModule {
  /** The code V8 compiled. */
  code: string;
  /** [output offset, length, ...]: the inserted text (transform.ts TransformResult.edits). */
  edits: number[];
  /** [line, column, length, ...] in input coordinates, or null when a source map covers it. */
  columns: number[] | null;
}

/** A module compiled in the loader thread, as posted to the main thread. */
export interface ModuleMessage {
  kind: 'module';
  url: string;
  module: InstrumentedModule;
  table: ModuleTable;
}

/** The loader thread could not instrument a file: it runs as it is. */
export interface WarningMessage {
  kind: 'warning';
  message: string;
}

const byScriptName = new Map<string, InstrumentedModule>();
let port: MessagePort | null = null;
let onTable: (table: ModuleTable) => void = () => {};
let onWarning: (message: string) => void = () => {};

export function connectRegistry(options: { port: MessagePort | null; onTable: (table: ModuleTable) => void; onWarning: (message: string) => void }): void {
  port = options.port;
  onTable = options.onTable;
  onWarning = options.onWarning;
  if (port) {
    port.on('message', handle);
    port.unref();
  }
}

function handle(message: ModuleMessage | WarningMessage): void {
  if (message.kind === 'warning') {
    onWarning(message.message);
    return;
  }
  byScriptName.set(message.url, message.module);
  onTable(message.table);
}

/** Takes every message the loader thread has posted so far, now. */
export function drainLoaderMessages(): void {
  if (!port) return;
  for (let received = receiveMessageOnPort(port); received; received = receiveMessageOnPort(port)) {
    handle(received.message as ModuleMessage | WarningMessage);
  }
}

export function registerModule(path: string, module: InstrumentedModule, table: ModuleTable): void {
  byScriptName.set(path, module);
  byScriptName.set(pathToFileURL(path).href, module);
  onTable(table);
}

export function moduleByScriptName(name: string): InstrumentedModule | undefined {
  let found = byScriptName.get(name);
  if (found === undefined && port) {
    drainLoaderMessages();
    found = byScriptName.get(name);
  }
  return found;
}

export function allModules(): Iterable<InstrumentedModule> {
  drainLoaderMessages();
  return new Set(byScriptName.values());
}
