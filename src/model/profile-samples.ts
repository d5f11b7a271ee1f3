// V8's sampling profile, from the trace's chunks into one table of call-tree nodes and one list of
// samples (typed arrays). Node ids restart in every chunk; here every node has one index.
import type { ProfileChunk } from '../../contract/index.js';
import { f64, i32 } from './growable.js';
import type { ProfileChunkRange, SampleColumns } from './types.js';

export interface SampleClock {
  /** V8's clock (µs) to ms from the script's start. */
  toModelMs(us: number): number;
}

export function profileSamples(chunks: readonly ProfileChunk[], clock: SampleClock, v8ZeroMs: number): SampleColumns {
  const strings: string[] = [];
  const stringIndex = new Map<string, number>();
  const intern = (s: string) => {
    let i = stringIndex.get(s);
    if (i === undefined) {
      i = strings.length;
      strings.push(s);
      stringIndex.set(s, i);
    }
    return i;
  };
  const functionName = i32();
  const url = i32();
  const line = i32();
  const column = i32();
  const parent = i32();
  const ticks: (number[] | undefined)[] = [];
  const time = f64();
  const node = i32();
  const us = f64();
  const deltaUs = f64();
  const ranges: ProfileChunkRange[] = [];

  for (const chunk of chunks) {
    const base = functionName.length;
    const local = new Map<number, number>();
    chunk.nodes.forEach((n, k) => local.set(n.id, base + k));
    for (const n of chunk.nodes) {
      functionName.push(intern(n.f));
      url.push(intern(n.u));
      line.push(n.l);
      column.push(n.c);
      parent.push(n.p ? (local.get(n.p) ?? -1) : -1);
      ticks.push(n.t);
    }
    const firstSample = node.length;
    let t = chunk.startTime;
    for (let i = 0; i < chunk.samples.length; i++) {
      const delta = chunk.timeDeltas[i]!;
      t += delta;
      time.push(clock.toModelMs(t));
      node.push(local.get(chunk.samples[i]!) ?? -1);
      us.push(t);
      deltaUs.push(delta);
    }
    ranges.push({ firstSample, endSample: node.length, startMs: clock.toModelMs(chunk.startTime), endMs: clock.toModelMs(chunk.endTime) });
  }
  return {
    count: node.length,
    time: time.finish(),
    node: node.finish(),
    v8Us: us.finish(),
    deltaUs: deltaUs.finish(),
    v8ZeroMs,
    nodes: {
      count: functionName.length,
      functionName: functionName.finish(),
      url: url.finish(),
      line: line.finish(),
      column: column.finish(),
      parent: parent.finish(),
      ticks,
      strings,
    },
    chunks: ranges,
  };
}
