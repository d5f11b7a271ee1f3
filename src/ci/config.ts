// The config file of `async-prof ci` (async-prof.config.json; schema/async-prof.config.schema.json
// describes the same format for editors). Read and checked here, with messages that name the
// file and the key; anything unknown is an error, so a typo cannot silently disable a budget.
import { readFileSync } from 'node:fs';
import { UsageError } from '../errors.js';
import { BUDGETS, type BudgetName } from './metrics.js';
import type { Aggregate } from './stats.js';

export type Level = 'error' | 'warn';
export interface BudgetSpec {
  max: number;
  level: Level;
}
export type Budgets = Partial<Record<BudgetName, BudgetSpec>>;

export const REPORTERS = ['human', 'json', 'junit', 'github', 'markdown'] as const;
export type ReporterName = (typeof REPORTERS)[number];
export const INCONCLUSIVE_MODES = ['report', 'fail', 'pass'] as const;
export type InconclusiveMode = (typeof INCONCLUSIVE_MODES)[number];

export interface ScriptEntry {
  /** A path or a glob (`*`, `**`, `?`), relative to the config file's directory. */
  path: string;
  args?: string[];
  env?: Record<string, string>;
  budgets?: Budgets;
}

export interface CiConfig {
  runs?: number;
  aggregate?: Aggregate;
  /** Percent. */
  tolerance?: number;
  minChangeMs?: number;
  alpha?: number;
  blockingThresholdMs?: number;
  timeout?: number;
  baseline?: string;
  inconclusive?: InconclusiveMode;
  reporters?: ReporterName[];
  outDir?: string;
  env?: Record<string, string>;
  budgets?: Budgets;
  scripts?: ScriptEntry[];
}

export const DEFAULT_CONFIG_FILE = 'async-prof.config.json';

type Json = unknown;

class ConfigReader {
  constructor(private readonly file: string) {}

  fail(path: string, message: string): never {
    throw new UsageError(`${this.file}: ${path ? `${path} ` : ''}${message}`);
  }

  object(value: Json, path: string, allowed: readonly string[]): Record<string, Json> {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) this.fail(path, 'must be an object');
    const record = value as Record<string, Json>;
    for (const key of Object.keys(record)) {
      if (!allowed.includes(key)) {
        const near = allowed.find((a) => a.toLowerCase() === key.toLowerCase());
        this.fail(path ? `${path}.${key}` : key, `is not a known setting${near ? ` (did you mean "${near}"?)` : ` (known: ${allowed.join(', ')})`}`);
      }
    }
    return record;
  }

  number(value: Json, path: string, options: { integer?: boolean; min?: number; exclusiveMin?: number; max?: number } = {}): number {
    if (typeof value !== 'number' || !Number.isFinite(value)) this.fail(path, 'must be a number');
    if (options.integer && !Number.isInteger(value)) this.fail(path, 'must be a whole number');
    if (options.min !== undefined && value < options.min) this.fail(path, `must be at least ${options.min}`);
    if (options.exclusiveMin !== undefined && value <= options.exclusiveMin) this.fail(path, `must be greater than ${options.exclusiveMin}`);
    if (options.max !== undefined && value > options.max) this.fail(path, `must be at most ${options.max}`);
    return value;
  }

  string(value: Json, path: string): string {
    if (typeof value !== 'string' || value === '') this.fail(path, 'must be a non-empty string');
    return value;
  }

  oneOf<T extends string>(value: Json, path: string, choices: readonly T[]): T {
    if (typeof value !== 'string' || !choices.includes(value as T)) this.fail(path, `must be one of ${choices.map((c) => `"${c}"`).join(', ')}`);
    return value as T;
  }

  strings(value: Json, path: string): string[] {
    if (!Array.isArray(value)) this.fail(path, 'must be an array of strings');
    return value.map((v, i) => {
      if (typeof v !== 'string') this.fail(`${path}[${i}]`, 'must be a string');
      return v;
    });
  }

  env(value: Json, path: string): Record<string, string> {
    const record = this.object(value, path, Object.keys((value ?? {}) as object));
    const out: Record<string, string> = {};
    for (const [key, v] of Object.entries(record)) {
      if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') this.fail(`${path}.${key}`, 'must be a string');
      out[key] = String(v);
    }
    return out;
  }

  budgets(value: Json, path: string): Budgets {
    const record = this.object(value, path, BUDGETS);
    const out: Budgets = {};
    for (const name of BUDGETS) {
      const spec = record[name];
      if (spec === undefined) continue;
      if (typeof spec === 'number') {
        out[name] = { max: this.number(spec, `${path}.${name}`, { min: 0 }), level: 'error' };
      } else {
        const s = this.object(spec, `${path}.${name}`, ['max', 'level']);
        if (s.max === undefined) this.fail(`${path}.${name}`, 'needs "max"');
        out[name] = {
          max: this.number(s.max, `${path}.${name}.max`, { min: 0 }),
          level: s.level === undefined ? 'error' : this.oneOf(s.level, `${path}.${name}.level`, ['error', 'warn'] as const),
        };
      }
    }
    return out;
  }

  script(value: Json, path: string): ScriptEntry {
    if (typeof value === 'string') return { path: this.string(value, path) };
    const s = this.object(value, path, ['path', 'args', 'env', 'budgets']);
    const entry: ScriptEntry = { path: this.string(s.path, `${path}.path`) };
    if (s.args !== undefined) entry.args = this.strings(s.args, `${path}.args`);
    if (s.env !== undefined) entry.env = this.env(s.env, `${path}.env`);
    if (s.budgets !== undefined) entry.budgets = this.budgets(s.budgets, `${path}.budgets`);
    return entry;
  }
}

const TOP_LEVEL = [
  '$schema',
  'runs',
  'aggregate',
  'tolerance',
  'minChangeMs',
  'alpha',
  'blockingThresholdMs',
  'timeout',
  'baseline',
  'inconclusive',
  'reporters',
  'outDir',
  'env',
  'budgets',
  'scripts',
] as const;

/** Checks a parsed config; `file` names it in error messages. */
export function parseConfig(value: unknown, file: string): CiConfig {
  const r = new ConfigReader(file);
  const c = r.object(value, '', TOP_LEVEL);
  const config: CiConfig = {};
  if (c.runs !== undefined) config.runs = r.number(c.runs, 'runs', { integer: true, min: 1, max: 1000 });
  if (c.aggregate !== undefined) config.aggregate = r.oneOf(c.aggregate, 'aggregate', ['median', 'pessimistic'] as const);
  if (c.tolerance !== undefined) config.tolerance = r.number(c.tolerance, 'tolerance', { min: 0 });
  if (c.minChangeMs !== undefined) config.minChangeMs = r.number(c.minChangeMs, 'minChangeMs', { min: 0 });
  if (c.alpha !== undefined) config.alpha = r.number(c.alpha, 'alpha', { exclusiveMin: 0, max: 1 });
  if (c.blockingThresholdMs !== undefined) config.blockingThresholdMs = r.number(c.blockingThresholdMs, 'blockingThresholdMs', { exclusiveMin: 0 });
  if (c.timeout !== undefined) config.timeout = r.number(c.timeout, 'timeout', { exclusiveMin: 0 });
  if (c.baseline !== undefined) config.baseline = r.string(c.baseline, 'baseline');
  if (c.inconclusive !== undefined) config.inconclusive = r.oneOf(c.inconclusive, 'inconclusive', INCONCLUSIVE_MODES);
  if (c.reporters !== undefined) config.reporters = r.strings(c.reporters, 'reporters').map((v, i) => r.oneOf(v, `reporters[${i}]`, REPORTERS));
  if (c.outDir !== undefined) config.outDir = r.string(c.outDir, 'outDir');
  if (c.env !== undefined) config.env = r.env(c.env, 'env');
  if (c.budgets !== undefined) config.budgets = r.budgets(c.budgets, 'budgets');
  if (c.scripts !== undefined) {
    const scripts: unknown[] = Array.isArray(c.scripts) ? c.scripts : r.fail('scripts', 'must be an array');
    config.scripts = scripts.map((s: unknown, i: number) => r.script(s, `scripts[${i}]`));
  }
  return config;
}

export function loadConfig(file: string, displayName = file): CiConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `config file not found: ${displayName}` : `cannot read config ${displayName}: ${code ?? (error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${displayName} is not valid JSON: ${(error as Error).message}`);
  }
  return parseConfig(value, displayName);
}
