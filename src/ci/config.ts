// The config file of `async-prof ci` (async-prof.config.json). Checked against the JSON Schema the
// package ships for editors too (schema/async-prof.config.schema.json), with messages that name
// the file and the key; anything unknown is an error, so a typo cannot silently disable a budget.
import { readFileSync } from 'node:fs';
import configSchema from '../../schema/async-prof.config.schema.json' with { type: 'json' };
import { UsageError } from '../errors.js';
import { BUDGETS, type BudgetName } from './metrics.js';
import { schemaCheck } from './schema-check.js';
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

const checkConfig = schemaCheck(configSchema);

type RawBudget = number | { max: number; level?: Level };
type RawBudgets = Partial<Record<BudgetName, RawBudget>>;
type RawEnv = Record<string, string | number | boolean>;
interface RawScript {
  path: string;
  args?: string[];
  env?: RawEnv;
  budgets?: RawBudgets;
}
/** The config as the schema allows it; parseConfig turns it into CiConfig. */
type RawConfig = Omit<CiConfig, 'env' | 'budgets' | 'scripts'> & { env?: RawEnv; budgets?: RawBudgets; scripts?: (string | RawScript)[] };

function budgets(raw: RawBudgets): Budgets {
  const out: Budgets = {};
  for (const name of BUDGETS) {
    const spec = raw[name];
    if (spec === undefined) continue;
    out[name] = typeof spec === 'number' ? { max: spec, level: 'error' } : { max: spec.max, level: spec.level ?? 'error' };
  }
  return out;
}

const env = (raw: RawEnv): Record<string, string> => Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, String(v)]));

function script(raw: string | RawScript): ScriptEntry {
  if (typeof raw === 'string') return { path: raw };
  const entry: ScriptEntry = { path: raw.path };
  if (raw.args !== undefined) entry.args = raw.args;
  if (raw.env !== undefined) entry.env = env(raw.env);
  if (raw.budgets !== undefined) entry.budgets = budgets(raw.budgets);
  return entry;
}

/** Checks a parsed config against schema/async-prof.config.schema.json; `file` names it in error messages. */
export function parseConfig(value: unknown, file: string): CiConfig {
  const problem = checkConfig(value);
  if (problem !== null) throw new UsageError(`${file}: ${problem}`);
  const { $schema: _schema, env: rawEnv, budgets: rawBudgets, scripts, ...settings } = value as RawConfig & { $schema?: string };
  const config: CiConfig = { ...settings };
  if (rawEnv !== undefined) config.env = env(rawEnv);
  if (rawBudgets !== undefined) config.budgets = budgets(rawBudgets);
  if (scripts !== undefined) config.scripts = scripts.map(script);
  return config;
}

/** JSON text of a config or baseline: a UTF-8 byte order mark (some editors write one) is not an error. */
export function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
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
    value = JSON.parse(withoutBom(text));
  } catch (error) {
    throw new UsageError(`${displayName} is not valid JSON: ${(error as Error).message}`);
  }
  return parseConfig(value, displayName);
}
