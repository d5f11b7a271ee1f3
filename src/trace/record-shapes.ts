// The shape every JSON record of a trace must have before the analyses see it: a record that
// parses but lacks a field, or holds a string where a number belongs, is refused here with a
// one-line reason, instead of failing somewhere deep in the model.
import type { EndRecord, ErrorRecord, MarkRecord, ModuleRecord, ProfileChunk, RoutesRecord, StartRecord, TraceMeta, SchedRecord, WindowRecord } from '../../contract/index.js';

export class ShapeError extends Error {}

type Json = Record<string, unknown>;

function object(value: unknown, what: string): Json {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ShapeError(`${what} is not an object`);
  return value as Json;
}

function string(record: Json, key: string): string {
  const value = record[key];
  if (typeof value !== 'string') throw new ShapeError(`"${key}" is not a string`);
  return value;
}

function number(record: Json, key: string): number {
  const value = record[key];
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new ShapeError(`"${key}" is not a number`);
  return value;
}

function optional<T>(record: Json, key: string, read: (record: Json, key: string) => T): T | undefined {
  return record[key] === undefined ? undefined : read(record, key);
}

function nullable<T>(record: Json, key: string, read: (record: Json, key: string) => T): T | null {
  return record[key] === null || record[key] === undefined ? null : read(record, key);
}

function numbers(record: Json, key: string): number[] {
  const value = record[key];
  if (!Array.isArray(value)) throw new ShapeError(`"${key}" is not an array`);
  for (const n of value) if (typeof n !== 'number' || !Number.isFinite(n)) throw new ShapeError(`"${key}" holds something other than numbers`);
  return value as number[];
}

function strings(record: Json, key: string): string[] {
  const value = record[key];
  if (!Array.isArray(value) || !value.every((s) => typeof s === 'string')) throw new ShapeError(`"${key}" is not a list of strings`);
  return value as string[];
}

export function metaShape(value: unknown): TraceMeta {
  const r = object(value, 'Meta');
  for (const key of ['script', 'cwd', 'node', 'platform', 'arch', 'profilerDir']) string(r, key);
  strings(r, 'args');
  for (const key of ['version', 'pid', 'startEpochMs', 'originMs', 'hrOriginMs', 'blockingThresholdMs', 'samplingIntervalUs', 'lagIntervalMs', 'clockTickUs']) number(r, key);
  return r as unknown as TraceMeta;
}

export function moduleShape(value: unknown): ModuleRecord {
  const r = object(value, 'Module');
  string(r, 'file');
  const firstId = number(r, 'firstId');
  if (!Number.isInteger(firstId) || firstId < 0) throw new ShapeError('"firstId" is not a function id');
  const functions = r.functions;
  if (!Array.isArray(functions) || functions.length % 3 !== 0) throw new ShapeError('"functions" is not a list of name, line, kind');
  for (let i = 0; i < functions.length; i += 3) {
    if (typeof functions[i] !== 'string' || !Number.isInteger(functions[i + 1]) || !Number.isInteger(functions[i + 2])) {
      throw new ShapeError(`"functions" entry ${i / 3} is not a name, line, kind`);
    }
  }
  if (numbers(r, 'ranges').length % 2 !== 0) throw new ShapeError('"ranges" is not a list of start and end lines');
  if (r.lines !== undefined) numbers(r, 'lines');
  return r as unknown as ModuleRecord;
}

export function schedShape(value: unknown): SchedRecord {
  const r = object(value, 'Sched');
  number(r, 'tid');
  const times = numbers(r, 'times');
  const run = numbers(r, 'runNs');
  const wait = numbers(r, 'waitNs');
  if (run.length !== times.length || wait.length !== times.length) throw new ShapeError('"times", "runNs" and "waitNs" differ in length');
  return r as unknown as SchedRecord;
}

export function profileShape(value: unknown): ProfileChunk {
  const r = object(value, 'Profile');
  number(r, 'startTime');
  number(r, 'endTime');
  if (!Array.isArray(r.nodes)) throw new ShapeError('"nodes" is not an array');
  const ids = new Set<number>([0]);
  for (const node of r.nodes as unknown[]) {
    const n = object(node, 'a profile node');
    ids.add(number(n, 'id'));
    string(n, 'f');
    string(n, 'u');
    number(n, 'l');
    number(n, 'c');
    number(n, 'p');
    optional(n, 't', numbers);
  }
  for (const node of r.nodes as Json[]) if (!ids.has(node.p as number)) throw new ShapeError(`profile node ${String(node.id)} has an unknown parent`);
  const samples = numbers(r, 'samples');
  const deltas = numbers(r, 'timeDeltas');
  if (deltas.length !== samples.length) throw new ShapeError('"samples" and "timeDeltas" differ in length');
  for (const id of samples) if (!ids.has(id)) throw new ShapeError(`a sample names profile node ${id}, which the chunk does not have`);
  return r as unknown as ProfileChunk;
}

export function errorShape(value: unknown): ErrorRecord {
  const r = object(value, 'Error');
  string(r, 'origin');
  string(r, 'message');
  optional(r, 'name', string);
  optional(r, 'atMs', number);
  nullable(r, 'stack', string);
  return r as unknown as ErrorRecord;
}

export function endShape(value: unknown): EndRecord {
  const r = object(value, 'End');
  nullable(r, 'exitCode', number);
  nullable(r, 'signal', string);
  for (const key of ['endMs', 'elu', 'dropped', 'tasks']) optional(r, key, number);
  if (r.timedOut !== undefined && typeof r.timedOut !== 'boolean') throw new ShapeError('"timedOut" is not true or false');
  return r as unknown as EndRecord;
}

export function marksShape(value: unknown): MarkRecord {
  const r = object(value, 'Marks');
  if (!Array.isArray(r.entries)) throw new ShapeError('"entries" is not an array');
  for (const entry of r.entries as unknown[]) {
    const e = object(entry, 'a mark');
    string(e, 'name');
    if (e.entryType !== 'mark' && e.entryType !== 'measure') throw new ShapeError('"entryType" is neither "mark" nor "measure"');
    number(e, 'startTime');
    number(e, 'duration');
  }
  return r as unknown as MarkRecord;
}

export function routesShape(value: unknown): RoutesRecord {
  const r = object(value, 'Routes');
  number(r, 'firstId');
  if (!Number.isInteger(r.firstId) || (r.firstId as number) < 1 || (r.firstId as number) >= 1 << 24) throw new ShapeError('"firstId" is not a route id');
  if (!Array.isArray(r.names) || !(r.names as unknown[]).every((n) => typeof n === 'string')) throw new ShapeError('"names" is not an array of strings');
  if ((r.names as unknown[]).length > 1024) throw new ShapeError('"names" has more than 1024 names');
  return r as unknown as RoutesRecord;
}

export function startShape(value: unknown): StartRecord {
  const r = object(value, 'Start');
  number(r, 'atMs');
  return r as unknown as StartRecord;
}

export function windowShape(value: unknown): WindowRecord {
  const r = object(value, 'Window');
  number(r, 'keepMs');
  number(r, 'writtenEpochMs');
  if (typeof r.snapshot !== 'boolean') throw new ShapeError('"snapshot" is not a boolean');
  return r as unknown as WindowRecord;
}
