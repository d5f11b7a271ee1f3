// What a program can still tell apart under the profiler (README "What differs from plain Node"),
// checked to be exactly that and nothing more: these programs run bare and profiled like the
// corpus, and their outputs must differ only in the documented way.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bareCommand, differentialDir, profiledCommand, programAt, runCommand, stage, tracePathFor } from './harness.js';

async function both(file: string) {
  const staged = stage(programAt(join(differentialDir, 'documented', file)));
  const bare = await runCommand(bareCommand(staged.entry, []), staged.dir);
  const profiled = await runCommand(profiledCommand(staged.entry, [], tracePathFor(staged)), staged.dir);
  return { bare: bare.stdout.toString('utf8').split('\n'), profiled: profiled.stdout.toString('utf8').split('\n'), codes: [bare.status, profiled.status] };
}

describe('documented differences from plain Node', () => {
  it('globalThis has one more own property, non-enumerable: the runtime the instrumented code calls', async () => {
    const { bare, profiled, codes } = await both('global-this-own-property-names.cjs');
    expect(codes).toEqual([0, 0]);
    expect(Number(profiled[0])).toBe(Number(bare[0]) + 1);
    const bareNames = new Set(bare[1]!.split(' '));
    expect(profiled[1]!.split(' ').filter((name) => !bareNames.has(name))).toEqual(['__asyncProf']);
    expect(profiled.slice(2)).toEqual(bare.slice(2));
  });

  it("process.stdout and process.stderr exist from the start (Node's module-hooks thread is piped into them)", async () => {
    const { bare, profiled, codes } = await both('active-resources.cjs');
    expect(codes).toEqual([0, 0]);
    expect(bare[0]).toBe('start ');
    expect(profiled[0]).toBe('start PipeWrap,PipeWrap');
    expect(profiled.slice(1)).toEqual(bare.slice(1));
  });

  it("Worker.prototype and ChildProcess.prototype have an own emit, not enumerable (messages are counted there); every wrapped method keeps its name, length and text", async () => {
    const { bare, profiled, codes } = await both('message-wrappers.mjs');
    expect(codes).toEqual([0, 0]);
    for (const line of [0, 1]) {
      const bareNames = new Set(bare[line]!.split(' '));
      expect(profiled[line]!.split(' ').filter((name) => !bareNames.has(name))).toEqual(['emit']);
    }
    expect(profiled.slice(2)).toEqual(bare.slice(2));
  });
});
