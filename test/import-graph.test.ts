// The layout tells the architecture: no import circles anywhere, the rooms import only what they
// may (contract/ nothing of ours; instrument/ only contract/; viewer/ only the view model's
// types and the viewer wire contract), and no file of the analysis side reaches up a floor. The
// floors of the analysis side, lowest first: shared/ (imports nothing of ours) < model/ (the
// replayed run) < analysis/ (computes) < report/ and view-model/ (word and shape it) < export/.
// Read from the source text: every `import ... from '...'` and `export ... from '...'`,
// type-only imports included (they tie files together as much for whoever reads them).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/run-sample.js';

/** The rooms whose TypeScript is read (tests, benches and scripts may import anything). */
const ROOMS = ['src', 'instrument', 'contract', 'viewer'];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Repository-relative path -> the repository-relative files it imports (ours only). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of ROOMS.flatMap((room) => files(join(repoRoot, room)))) {
    const text = readFileSync(file, 'utf8');
    const targets: string[] = [];
    for (const m of text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'|^\s*import\s+'([^']+)'/gm)) {
      const spec = m[1] ?? m[2]!;
      if (!spec.startsWith('.')) continue;
      targets.push(relative(repoRoot, resolve(dirname(file), spec.replace(/\.js$/, '.ts'))));
    }
    graph.set(relative(repoRoot, file), targets);
  }
  return graph;
}

/** Strongly connected components with more than one file (or a file importing itself): the circles. */
function circles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || graph.get(v)!.includes(v)) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

/** Which floors a floor may import (besides itself). */
const MAY_IMPORT: Record<string, string[]> = {
  // contract/: the trace format, shared with instrument/ and the viewer; imports nothing of ours.
  'src/shared': [],
  'src/model': ['src/shared', 'contract', 'src/trace/read-trace.ts', 'src/trace/raw-trace.ts'],
  'src/analysis': ['src/shared', 'src/model', 'contract'],
  'src/report': ['src/shared', 'contract', 'src/model', 'src/analysis'],
  'src/view-model': ['src/shared', 'contract', 'src/model', 'src/analysis'],
  'src/export': ['src/shared', 'contract', 'src/model', 'src/analysis', 'src/view-model', 'src/report', 'src/server/viewer-assets.ts', 'src/server/viewer-page.ts'],
};

const floorOf = (file: string) => Object.keys(MAY_IMPORT).find((floor) => file.startsWith(`${floor}/`));

describe('imports', () => {
  const graph = importGraph();

  it('no import circle in src/, instrument/, contract/ or viewer/', () => {
    expect(circles(graph)).toEqual([]);
  });

  it('each room imports only the rooms below it', () => {
    const MAY_IMPORT_ROOM: Record<string, string[]> = {
      contract: ['contract'],
      instrument: ['instrument', 'contract'],
      // The view model's contract (its types, its binary codec, the wire's names): never the
      // analyses themselves (the analysis section's types only, checked below).
      viewer: ['viewer', 'src/view-model/types.ts', 'src/view-model/binary-format.ts', 'src/view-model/analysis.ts', 'contract/viewer-wire.ts'],
    };
    const outside: string[] = [];
    for (const [file, targets] of graph) {
      const room = file.split('/')[0]!;
      const allowed = MAY_IMPORT_ROOM[room];
      if (!allowed) continue;
      for (const target of targets) if (!allowed.some((a) => target === a || target.startsWith(`${a}/`))) outside.push(`${file} -> ${target}`);
    }
    expect(outside).toEqual([]);
    // The analysis section's module imports the analyses: the viewer takes its types, not its code.
    const valueImports = files(join(repoRoot, 'viewer')).filter((file) => /^\s*import\s+(?!type\b)[^'"]*from\s+'[./]+src\/view-model\/analysis\.js'/m.test(readFileSync(file, 'utf8')));
    expect(valueImports).toEqual([]);
  });

  it('no file of the analysis side imports from a floor above its own', () => {
    const upward: string[] = [];
    for (const [file, targets] of graph) {
      const floor = floorOf(file);
      if (!floor) continue;
      for (const target of targets) {
        if (target.startsWith(`${floor}/`)) continue;
        if (!MAY_IMPORT[floor]!.some((allowed) => target === allowed || target.startsWith(`${allowed}/`))) upward.push(`${file} -> ${target}`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('the graph is read: the model builder imports the replay, and the pipeline imports the passes', () => {
    expect(graph.get('src/model/build-model.ts')).toContain('src/model/replay.ts');
    expect(graph.get('src/analysis/pipeline.ts')).toContain('src/analysis/blocking.ts');
    // A circle is found when there is one.
    expect(circles(new Map([['a', ['b']], ['b', ['a']], ['c', []]]))).toEqual([['a', 'b']]);
  });
});
