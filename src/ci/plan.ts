// Turns the command line and the config file into one plan: which scripts, with which budgets
// and settings. Precedence for a budget: the script's own entry in the config, then the
// command line, then the config's top-level budgets. Other settings: command line, then config,
// then the defaults below.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DEFAULT_BLOCKING_THRESHOLD_MS } from '../../contract/index.js';
import { UsageError } from '../errors.js';
import { checkScript } from '../run/profile-script.js';
import {
  DEFAULT_CONFIG_FILE,
  INCONCLUSIVE_MODES,
  REPORTERS,
  loadConfig,
  type Budgets,
  type CiConfig,
  type InconclusiveMode,
  type ReporterName,
} from './config.js';
import { BUDGETS, type BudgetName } from './metrics.js';
import { displayPath, entryMatches, expandGlob } from './scripts.js';
import type { Aggregate } from './stats.js';

export const DEFAULTS = {
  runs: 5,
  aggregate: 'median' as Aggregate,
  tolerancePct: 20,
  minChangeMs: 2,
  alpha: 0.05,
  blockingThresholdMs: DEFAULT_BLOCKING_THRESHOLD_MS,
  inconclusive: 'report' as InconclusiveMode,
};

/** Options as commander hands them over (already parsed into numbers where it can). */
export interface CiCliOptions {
  config?: string;
  maxLagP99?: number;
  maxLag?: number;
  maxBlocking?: number;
  maxBlockingCount?: number;
  maxWall?: number;
  maxWorkerBlocking?: number;
  runs?: number;
  aggregate?: string;
  baseline?: string;
  updateBaseline?: boolean;
  tolerance?: number;
  minChange?: number;
  alpha?: number;
  blockingThreshold?: number;
  timeout?: number;
  reporter?: string;
  outDir?: string;
  inconclusive?: string;
  keepTraces?: boolean;
  env?: string[];
}

export interface ScriptPlan {
  /** As shown to people and stored in baselines: relative to the current directory, `/`-separated. */
  path: string;
  abs: string;
  args: string[];
  env: Record<string, string>;
  budgets: Budgets;
  /** The profiler's blocking threshold for this script's runs (≤ every blocking budget). */
  detectThresholdMs: number;
}

export interface CiPlan {
  cwd: string;
  configFile: string | null;
  scripts: ScriptPlan[];
  runs: number;
  aggregate: Aggregate;
  tolerancePct: number;
  minChangeMs: number;
  alpha: number;
  /** Stretches at least this long count for blockingCount. */
  blockingThresholdMs: number;
  timeoutS: number | undefined;
  baselinePath: string | null;
  updateBaseline: boolean;
  inconclusive: InconclusiveMode;
  reporters: ReporterName[];
  reportersExplicit: boolean;
  outDir: string | null;
  keepTraces: boolean;
}

export function parseReporters(value: string): ReporterName[] {
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (names.length === 0) throw new UsageError('--reporter needs at least one name');
  for (const name of names) {
    if (!REPORTERS.includes(name as ReporterName)) throw new UsageError(`unknown reporter "${name}" (known: ${REPORTERS.join(', ')})`);
  }
  return [...new Set(names)] as ReporterName[];
}

function parseEnvPairs(pairs: string[] | undefined): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of pairs ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--env expects NAME=VALUE, got "${pair}"`);
    env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return env;
}

export function buildPlan(positional: string[], options: CiCliOptions, cwd: string, env: NodeJS.ProcessEnv = process.env): CiPlan {
  let configFile: string | null = null;
  let config: CiConfig = {};
  if (options.config) {
    configFile = resolve(cwd, options.config);
    config = loadConfig(configFile, options.config);
  } else if (existsSync(resolve(cwd, DEFAULT_CONFIG_FILE))) {
    configFile = resolve(cwd, DEFAULT_CONFIG_FILE);
    config = loadConfig(configFile, DEFAULT_CONFIG_FILE);
  }
  const configDir = configFile ? dirname(configFile) : cwd;

  const aggregate = options.aggregate ?? config.aggregate ?? DEFAULTS.aggregate;
  if (aggregate !== 'median' && aggregate !== 'pessimistic') throw new UsageError(`--aggregate must be "median" or "pessimistic", got "${aggregate}"`);
  const inconclusive = options.inconclusive ?? config.inconclusive ?? DEFAULTS.inconclusive;
  if (!INCONCLUSIVE_MODES.includes(inconclusive as InconclusiveMode)) {
    throw new UsageError(`--inconclusive must be one of ${INCONCLUSIVE_MODES.join(', ')}, got "${inconclusive}"`);
  }

  const cliBudgets: Budgets = {};
  const fromFlag: Record<BudgetName, number | undefined> = {
    maxLagP99: options.maxLagP99,
    maxLag: options.maxLag,
    maxBlocking: options.maxBlocking,
    maxBlockingCount: options.maxBlockingCount,
    maxWall: options.maxWall,
    maxWorkerBlocking: options.maxWorkerBlocking,
  };
  for (const name of BUDGETS) {
    const max = fromFlag[name];
    if (max !== undefined) cliBudgets[name] = { max, level: 'error' };
  }

  const blockingThresholdMs = options.blockingThreshold ?? config.blockingThresholdMs ?? DEFAULTS.blockingThresholdMs;
  const sharedEnv = { ...config.env, ...parseEnvPairs(options.env) };
  const entries = config.scripts ?? [];

  // Which scripts: the command line's, else the config's (globs expanded).
  const targets: { abs: string; given: string }[] = [];
  if (positional.length > 0) {
    for (const p of positional) targets.push({ abs: resolve(cwd, p), given: p });
  } else {
    for (const entry of entries) {
      const files = expandGlob(entry.path, configDir);
      if (files.length === 0) throw new UsageError(`${displayPath(cwd, configFile!)}: scripts entry "${entry.path}" matches no file`);
      for (const abs of files) targets.push({ abs, given: entry.path });
    }
  }
  if (targets.length === 0) {
    throw new UsageError(`no scripts to check: name them (async-prof ci <script...>) or list them under "scripts" in ${DEFAULT_CONFIG_FILE}`);
  }

  const seen = new Set<string>();
  const scripts: ScriptPlan[] = [];
  for (const target of targets) {
    if (seen.has(target.abs)) continue;
    seen.add(target.abs);
    checkScript(displayPath(cwd, target.abs), cwd);
    const own = entries.filter((e) => entryMatches(e.path, configDir, target.abs));
    const budgets: Budgets = { ...config.budgets, ...cliBudgets };
    let args: string[] = [];
    let scriptEnv: Record<string, string> = {};
    for (const entry of own) {
      Object.assign(budgets, entry.budgets);
      if (entry.args) args = entry.args;
      if (entry.env) scriptEnv = { ...scriptEnv, ...entry.env };
    }
    const maxBlocking = budgets.maxBlocking?.max;
    const detectThresholdMs = Math.max(1, Math.min(blockingThresholdMs, maxBlocking ?? Number.POSITIVE_INFINITY));
    scripts.push({ path: displayPath(cwd, target.abs), abs: target.abs, args, env: { ...sharedEnv, ...scriptEnv }, budgets, detectThresholdMs });
  }

  const baseline = options.baseline ?? config.baseline;
  const baselinePath = baseline ? resolve(options.baseline ? cwd : configDir, baseline) : null;
  if (options.updateBaseline && !baselinePath) throw new UsageError('--update-baseline needs --baseline <file> (or "baseline" in the config file)');
  const hasBudget = scripts.some((s) => Object.keys(s.budgets).length > 0);
  if (!hasBudget && !baselinePath) {
    throw new UsageError('nothing to check: give a budget (e.g. --max-lag-p99 20 --max-blocking 50) or a --baseline');
  }

  const reportersExplicit = options.reporter !== undefined || config.reporters !== undefined;
  let reporters: ReporterName[];
  if (options.reporter !== undefined) reporters = parseReporters(options.reporter);
  else if (config.reporters) reporters = [...new Set(config.reporters)];
  else reporters = env.GITHUB_ACTIONS === 'true' ? ['human', 'github', 'markdown'] : ['human'];

  const outDir = options.outDir ?? config.outDir;
  return {
    cwd,
    configFile,
    scripts,
    runs: options.runs ?? config.runs ?? DEFAULTS.runs,
    aggregate,
    tolerancePct: options.tolerance ?? config.tolerance ?? DEFAULTS.tolerancePct,
    minChangeMs: options.minChange ?? config.minChangeMs ?? DEFAULTS.minChangeMs,
    alpha: options.alpha ?? config.alpha ?? DEFAULTS.alpha,
    blockingThresholdMs,
    timeoutS: options.timeout ?? config.timeout,
    baselinePath,
    updateBaseline: Boolean(options.updateBaseline),
    inconclusive: inconclusive as InconclusiveMode,
    reporters,
    reportersExplicit,
    outDir: outDir ? resolve(options.outDir ? cwd : configDir, outDir) : null,
    keepTraces: Boolean(options.keepTraces),
  };
}
