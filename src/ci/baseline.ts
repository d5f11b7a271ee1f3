// The baseline file: every run's raw values per script, with the Node version and the facts of
// the machine that recorded them, so a later check can compare distributions, not one number,
// and say when it is comparing across machines.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { arch, cpus, platform, totalmem } from 'node:os';
import { dirname } from 'node:path';
import { UsageError } from '../errors.js';
import { METRICS, type RunValues } from './metrics.js';

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
  let value: BaselineFile;
  try {
    value = JSON.parse(text) as BaselineFile;
  } catch (error) {
    throw new UsageError(`baseline ${display} is not valid JSON: ${(error as Error).message}`);
  }
  if (value?.asyncProfBaseline !== BASELINE_VERSION || typeof value.scripts !== 'object' || value.scripts === null) {
    throw new UsageError(`${display} is not an async-prof baseline (version ${BASELINE_VERSION}); record one with --update-baseline`);
  }
  for (const [script, entry] of Object.entries(value.scripts)) {
    const ok =
      Array.isArray(entry?.runs) &&
      entry.runs.every((run) => run && METRICS.every((m) => typeof (run as unknown as Record<string, unknown>)[m] === 'number'));
    if (!ok) throw new UsageError(`baseline ${display}: the runs of "${script}" are damaged; record it again with --update-baseline`);
  }
  return value;
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
  mkdirSync(dirname(path), { recursive: true });
  // Write then rename: a crash never leaves half a baseline behind.
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(file, null, 2)}\n`);
  renameSync(temp, path);
  return file;
}

/** Differences that make a comparison with the baseline less trustworthy. */
export function environmentWarnings(baseline: BaselineFile, display: string): string[] {
  const warnings: string[] = [];
  if (baseline.node !== process.version) {
    warnings.push(`baseline ${display} was recorded with Node ${baseline.node}; this is Node ${process.version}: timings may differ for that reason alone`);
  }
  const here = machineFacts();
  const there = baseline.machine ?? ({} as Partial<MachineFacts>);
  const diffs: string[] = [];
  if (there.platform !== here.platform || there.arch !== here.arch) diffs.push(`${there.platform}/${there.arch} vs ${here.platform}/${here.arch}`);
  if (there.cpus !== here.cpus) diffs.push(`${there.cpus} vs ${here.cpus} CPUs`);
  if (there.cpuModel !== here.cpuModel) diffs.push(`CPU "${there.cpuModel}" vs "${here.cpuModel}"`);
  if (diffs.length > 0) warnings.push(`baseline ${display} was recorded on a different machine (${diffs.join('; ')}): timings may differ for that reason alone`);
  return warnings;
}
