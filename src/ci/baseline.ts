// The baseline file: every run's raw values per script, with the Node version and the facts of
// the machine that recorded them, so a later check can compare distributions, not one number,
// and say when it is comparing across machines.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { arch, cpus, platform, totalmem } from 'node:os';
import { dirname } from 'node:path';
import baselineSchema from '../../schema/async-prof.baseline.schema.json' with { type: 'json' };
import { UsageError } from '../errors.js';
import { makeDirectory } from '../files/make-directory.js';
import { withoutBom } from './config.js';
import type { RunValues } from './metrics.js';
import { schemaCheck } from './schema-check.js';

const checkBaseline = schemaCheck(baselineSchema, { allErrors: false });

export const BASELINE_VERSION = 1;

export interface MachineFacts {
  platform: string;
  arch: string;
  cpus: number;
  cpuModel: string;
  memoryGb: number;
}

export interface BaselineScript {
  recordedAt: string;
  /** Stretches at least this long were counted (blockingCount). */
  blockingThresholdMs: number;
  /** The profiler's detection threshold: shorter stretches were not seen at all. */
  detectThresholdMs: number;
  runs: RunValues[];
}

export interface BaselineFile {
  asyncProfBaseline: typeof BASELINE_VERSION;
  node: string;
  machine: MachineFacts;
  updatedAt: string;
  scripts: Record<string, BaselineScript>;
}

export function machineFacts(): MachineFacts {
  const list = cpus();
  return {
    platform: platform(),
    arch: arch(),
    cpus: list.length,
    cpuModel: (list[0]?.model ?? 'unknown').trim().replace(/\s+/g, ' '),
    memoryGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
  };
}

export function readBaseline(path: string, display: string): BaselineFile | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new UsageError(`cannot read baseline ${display}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(withoutBom(text));
  } catch (error) {
    throw new UsageError(`baseline ${display} is not valid JSON: ${(error as Error).message}`);
  }
  if ((value as Partial<BaselineFile> | null)?.asyncProfBaseline !== BASELINE_VERSION) {
    throw new UsageError(`${display} is not an async-prof baseline (version ${BASELINE_VERSION}); record one with --update-baseline`);
  }
  // Schema: schema/async-prof.baseline.schema.json.
  const problem = checkBaseline(value);
  if (problem !== null) throw new UsageError(`baseline ${display} is damaged: ${problem}; record it again with --update-baseline`);
  return value as BaselineFile;
}

/** Replaces the entries of the scripts just run and keeps the others. */
export function writeBaseline(path: string, previous: BaselineFile | null, runs: Map<string, BaselineScript>): BaselineFile {
  const now = new Date().toISOString();
  const file: BaselineFile = {
    asyncProfBaseline: BASELINE_VERSION,
    node: process.version,
    machine: machineFacts(),
    updatedAt: now,
    scripts: { ...previous?.scripts },
  };
  for (const [script, entry] of runs) file.scripts[script] = entry;
  file.scripts = Object.fromEntries(Object.entries(file.scripts).sort(([a], [b]) => a.localeCompare(b)));
  makeDirectory(dirname(path), 'the baseline');
  // Write then rename: a crash never leaves half a baseline behind.
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(file, null, 2)}\n`);
  renameSync(temp, path);
  return file;
}

/** Differences that make a comparison with the baseline less trustworthy. */
export function environmentWarnings(baseline: BaselineFile, display: string): string[] {
  const warnings: string[] = [];
  if (baseline.node !== undefined && baseline.node !== process.version) {
    warnings.push(`baseline ${display} was recorded with Node ${baseline.node}; this is Node ${process.version}: timings may differ for that reason alone`);
  }
  const here = machineFacts();
  const there = baseline.machine ?? ({} as Partial<MachineFacts>);
  const diffs: string[] = [];
  // Facts the baseline does not have (written by hand, or by another tool) are not differences.
  const differs = <K extends keyof MachineFacts>(key: K) => there[key] !== undefined && there[key] !== here[key];
  if (differs('platform') || differs('arch')) diffs.push(`${there.platform}/${there.arch} vs ${here.platform}/${here.arch}`);
  if (differs('cpus')) diffs.push(`${there.cpus} vs ${here.cpus} CPUs`);
  if (differs('cpuModel')) diffs.push(`CPU "${there.cpuModel}" vs "${here.cpuModel}"`);
  if (diffs.length > 0) warnings.push(`baseline ${display} was recorded on a different machine (${diffs.join('; ')}): timings may differ for that reason alone`);
  return warnings;
}
