// Command line for the differential suite, outside vitest: rerun one program, check that
// programs are deterministic bare, or list every failure grouped by its first difference.
//
//   npx tsx test/differential/run.ts [paths...]              corpus (or the given programs), bare vs profiled
//   npx tsx test/differential/run.ts --generated 1:17        generated program 17 of seed 1
//   npx tsx test/differential/run.ts --generated 1:0-99      a range of them
//   npx tsx test/differential/run.ts --check-bare [...]      bare twice instead of bare vs profiled
//   options: --concurrency N (default 2), --json FILE (all verdicts), --brief (no diffs, one line each),
//            --show (print each program's bare output and exit status too)
import { statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { checkBareDeterminism, compareProgram, findPrograms, mapLimited, programAt, writeGenerated, type Program, type Verdict } from './harness.js';

interface Options {
  checkBare: boolean;
  concurrency: number;
  json?: string;
  brief: boolean;
  show: boolean;
  paths: string[];
  generated: { seed: number; from: number; to: number }[];
}

function parseArgs(argv: string[]): Options {
  const options: Options = { checkBare: false, concurrency: 2, brief: false, show: false, paths: [], generated: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--check-bare') options.checkBare = true;
    else if (arg === '--brief') options.brief = true;
    else if (arg === '--show') options.show = true;
    else if (arg === '--concurrency') options.concurrency = Number(argv[++i]);
    else if (arg === '--json') options.json = argv[++i];
    else if (arg === '--generated') {
      const match = /^(-?\d+):(\d+)(?:-(\d+))?$/.exec(argv[++i] ?? '');
      if (!match) throw new Error('--generated expects SEED:INDEX or SEED:FROM-TO');
      options.generated.push({ seed: Number(match[1]), from: Number(match[2]), to: Number(match[3] ?? match[2]) });
    } else if (arg.startsWith('--')) throw new Error(`unknown option ${arg}`);
    else options.paths.push(arg);
  }
  return options;
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  const programs: Program[] = [];
  for (const path of options.paths) {
    const full = resolve(path);
    const found = statSync(full).isDirectory() ? findPrograms(full) : [];
    programs.push(...(found.length > 0 ? found : [programAt(full)]));
  }
  for (const range of options.generated) for (let i = range.from; i <= range.to; i++) programs.push(writeGenerated(range.seed, i));
  if (options.paths.length === 0 && options.generated.length === 0) programs.push(...findPrograms());

  const started = performance.now();
  const verdicts = await mapLimited(programs, options.concurrency, async (program) => {
    const verdict = options.checkBare ? await checkBareDeterminism(program) : await compareProgram(program);
    if (options.show) {
      const { stdout, stderr, status } = verdict.bare;
      process.stdout.write(`=== ${program.name} (bare exit ${status})\n${stdout.toString()}${stderr.length > 0 ? `--- stderr\n${stderr.toString()}` : ''}`);
    }
    if (verdict.ok) process.stdout.write(`ok   ${program.name}\n`);
    else process.stdout.write(options.brief ? `FAIL ${program.name}: ${verdict.firstDifference}\n` : `FAIL ${verdict.message}\n\n`);
    return verdict;
  });
  const failed = verdicts.filter((v) => !v.ok);
  process.stdout.write(`\n${verdicts.length - failed.length} of ${verdicts.length} identical, ${failed.length} differ (${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
  if (options.json) writeFileSync(options.json, JSON.stringify(verdicts.map(summary), null, 2) + '\n');
  return failed.length > 0 ? 1 : 0;
}

function summary(verdict: Verdict) {
  return {
    program: verdict.program.name,
    ok: verdict.ok,
    firstDifference: verdict.firstDifference,
    message: verdict.message,
    profilerLines: verdict.profilerLines,
    bareStatus: verdict.bare.status,
    profiledStatus: verdict.profiled.status,
    bareMs: Math.round(verdict.bare.wallMs),
    profiledMs: Math.round(verdict.profiled.wallMs),
  };
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
