// profile() in this very process (a vitest worker) and the matchers of async-prof/vitest.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { profile } from '../src/index.js';
import '../src/vitest.js';
import { busyWait, fetchAll, handleRequest } from './fixtures/ci/sample-functions.js';

const fixture = fileURLToPath(new URL('./fixtures/ci/sample-functions.ts', import.meta.url));
const blockingLine = readFileSync(fixture, 'utf8').split('\n').findIndex((l) => l.includes('BLOCKING-LINE')) + 1;

describe('profile() with the vitest matchers', () => {
  it('passes a function that only waits', async () => {
    const result = await profile(() => fetchAll(5));
    expect(result.value).toEqual([0, 1, 2, 3, 4]);
    expect(result).toHaveNoBlockingOver(50);
    expect(result).toHaveNoBlocking();
    // Generous: other test files share the two cores.
    expect(result).toHaveLagP99Below(45);
    expect(result).toHaveMaxLagBelow(60);
  });

  it('finds the blocking line and names it in the failure message', async () => {
    const result = await profile(() => handleRequest(150));
    expect(result.value).toBe('handled');
    expect(result).not.toHaveNoBlockingOver(50);
    const stretch = result.blocking.find((b) => b.durationMs >= 100);
    expect(stretch).toMatchObject({ function: 'busyWait', file: 'test/fixtures/ci/sample-functions.ts', line: blockingLine });

    let message = '';
    try {
      expect(result).toHaveNoBlockingOver(50);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^expected no blocking stretch over 50 ms, found 1:/);
    expect(message).toContain(`busyWait at test/fixtures/ci/sample-functions.ts:${blockingLine} blocked the event loop for 1`);

    expect(() => expect(result).toHaveLagP99Below(20)).toThrow(
      new RegExp(`expected event-loop lag p99 below 20 ms, found \\d+(\\.\\d)? ms .*busyWait at test/fixtures/ci/sample-functions\\.ts:${blockingLine}`),
    );
    expect(() => expect(result).toHaveNoBlocking()).toThrow(/expected no blocking \(stretches of 50 ms or more\), found 1/);
    expect(() => expect(result).not.toHaveMaxLagBelow(1000)).toThrow(/expected an event-loop lag of 1000 ms or more/);
  });

  it('without the sampling profiler, still times tasks and lag but refuses to judge blocking', async () => {
    const result = await profile(() => handleRequest(120), { samplingIntervalUs: 0 });
    expect(result.value).toBe('handled');
    expect(result.samplingIntervalMs).toBe(0);
    expect(result.blocking).toEqual([]);
    expect(result.lag.maxMs).toBeGreaterThanOrEqual(100);
    expect(result.warnings.join('\n')).toContain('blocking stretches were not measured');
    expect(() => expect(result).toHaveNoBlocking()).toThrow(/blocking was not measured/);
    expect(() => expect(result).not.toHaveNoBlockingOver(50)).toThrow(/blocking was not measured/);
  });

  it('reports a synchronous function too, and hands back its value', async () => {
    const result = await profile(() => busyWait(80), { blockingThresholdMs: 30 });
    expect(result.value).toBeGreaterThan(0);
    expect(result.blockingThresholdMs).toBe(30);
    expect(result.blocking).toHaveLength(1);
    expect(result.blocking[0]!.durationMs).toBeGreaterThan(60);
    expect(result.blocking[0]!.durationMs).toBeLessThan(200);
  });

  it('rethrows what fn throws, with the profile attached', async () => {
    const boom = new Error('boom');
    const caught = await profile(async () => {
      busyWait(60);
      throw boom;
    }).catch((error: unknown) => error);
    expect(caught).toBe(boom);
    const attached = (caught as { asyncProfResult?: { exitCode: number; blocking: unknown[]; errors: { message: string }[] } }).asyncProfResult;
    expect(attached?.exitCode).toBe(1);
    expect(attached?.errors[0]?.message).toBe('boom');
    expect(attached?.blocking.length).toBe(1);
  });

  it('refuses overlapping profiles and non-results', async () => {
    const first = profile(() => fetchAll(1));
    await expect(profile(() => fetchAll(1))).rejects.toThrow(/already running/);
    await first;
    expect(() => expect({ nope: true }).toHaveNoBlockingOver(50)).toThrow(/did you forget to await profile/);
  });
});
