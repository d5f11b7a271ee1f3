// Declares the differential tests, one `it` per program, for the shard files (*.test.ts): vitest
// runs files in parallel only across workers, so the programs are spread over several files,
// and each file also runs a few programs at once (DIFF_CONCURRENCY, default 2).
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'vitest';
import { countFromEnv, seedFromEnv } from './generate.js';
import { compareProgram, differentialDir, findPrograms, limiter, writeGenerated, type Program, type Verdict } from './harness.js';

const concurrency = Number(process.env.DIFF_CONCURRENCY ?? 2);
const runLimited = limiter(Number.isInteger(concurrency) && concurrency > 0 ? concurrency : 2);
/** Generous: a test may wait for a slot first; the harness itself kills a run after DIFF_TIMEOUT_MS. */
const TEST_TIMEOUT_MS = 15 * 60_000;
export const generatedFailuresDir = join(differentialDir, 'generated-failures');

/** The verdict's message as the whole failure: the harness's own stack would only hide it. */
function failure(verdict: Verdict): Error {
  const error = new Error(verdict.message);
  error.stack = verdict.message;
  return error;
}

export function defineCorpusShard(shard: number, shards: number): void {
  const programs = findPrograms().filter((_, index) => index % shards === shard);
  for (const program of programs) {
    it.concurrent(program.name, async () => {
      const verdict = await runLimited(() => compareProgram(program));
      if (!verdict.ok) throw failure(verdict);
    }, TEST_TIMEOUT_MS);
  }
}

export function defineGeneratedShard(shard: number, shards: number): void {
  const seed = seedFromEnv();
  const count = countFromEnv();
  for (let index = shard; index < count; index += shards) {
    it.concurrent(`generated seed ${seed} program ${index}`, async () => {
      const verdict = await runLimited(async () => compareProgram(writeGenerated(seed, index)));
      if (!verdict.ok) {
        const kept = keepFailure(verdict.program, seed, index);
        throw failure({ ...verdict, message: `seed ${seed}, program ${index} (kept in ${kept})\n${verdict.message}` });
      }
    }, TEST_TIMEOUT_MS);
  }
}

/** A failing generated program is copied into the worktree (git-ignored) so it outlives the scratch directory. */
function keepFailure(program: Program, seed: number, index: number): string {
  const dir = join(generatedFailuresDir, `seed-${seed}`, `program-${index}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  cpSync(program.source, dir, { recursive: true });
  return dir;
}
