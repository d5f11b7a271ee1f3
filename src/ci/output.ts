// Where each reporter writes. human and github: stdout (human moves to stderr when a machine-
// readable report owns stdout). json, junit, markdown: a file in --out-dir, else stdout (only
// one of them can have it). markdown is also appended to $GITHUB_STEP_SUMMARY when set.
import { appendFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { fsReason } from '../files/fs-reason.js';
import { makeDirectory } from '../files/make-directory.js';
import { UsageError } from '../errors.js';
import { writeStdout } from '../output/output-streams.js';
import { terminalSafeValue } from '../output/terminal-safe-value.js';
import { terminalBlock } from '../output/terminal-text.js';
import type { ReporterName } from './config.js';
import type { CiResult } from './result.js';
import { renderGithub } from './reporters/github.js';
import { ansiPaint, NO_COLOR, renderHuman } from './reporters/human.js';
import { renderJson } from './reporters/json.js';
import { renderJunit } from './reporters/junit.js';
import { renderMarkdown } from './reporters/markdown.js';

export const OUTPUT_FILES: Record<'json' | 'junit' | 'markdown', string> = {
  json: 'async-prof-ci.json',
  junit: 'async-prof-ci.junit.xml',
  markdown: 'async-prof-ci.md',
};

type Target = { kind: 'stdout' } | { kind: 'stderr' } | { kind: 'file'; path: string } | { kind: 'append'; path: string };

export interface Destination {
  reporter: ReporterName;
  targets: Target[];
}

/** Decided before any script runs, so a conflict is a usage error, not lost output. */
export function planOutputs(reporters: ReporterName[], outDir: string | null, env: NodeJS.ProcessEnv): Destination[] {
  const summary = env.GITHUB_STEP_SUMMARY || null;
  const documents = reporters.filter((r) => r === 'json' || r === 'junit' || (r === 'markdown' && !summary));
  const onStdout = outDir ? [] : documents;
  if (onStdout.length > 1) {
    throw new UsageError(`--reporter ${onStdout.join(',')} would all write to stdout: give --out-dir <dir> to write them to files`);
  }
  if (onStdout.length === 1 && reporters.includes('github')) {
    throw new UsageError(`--reporter github and ${onStdout[0]} would both write to stdout: give --out-dir <dir>`);
  }
  return reporters.map((reporter): Destination => {
    switch (reporter) {
      case 'human':
        return { reporter, targets: [{ kind: onStdout.length ? 'stderr' : 'stdout' }] };
      case 'github':
        return { reporter, targets: [{ kind: 'stdout' }] };
      default: {
        const targets: Target[] = [];
        if (outDir) targets.push({ kind: 'file', path: join(outDir, OUTPUT_FILES[reporter]) });
        if (reporter === 'markdown' && summary) targets.push({ kind: 'append', path: summary });
        if (targets.length === 0) targets.push({ kind: 'stdout' });
        return { reporter, targets };
      }
    }
  });
}

function wantsColor(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return Boolean(stream.isTTY);
}

export function writeOutputs(destinations: Destination[], raw: CiResult, env: NodeJS.ProcessEnv = process.env): string[] {
  const written: string[] = [];
  // Text reports are read on terminals and in CI logs, which interpret escape sequences; the
  // json report keeps the runs' text as it was (JSON escapes it).
  const result = terminalSafeValue(raw);
  for (const { reporter, targets } of destinations) {
    for (const target of targets) {
      const stream = target.kind === 'stderr' ? process.stderr : process.stdout;
      let text: string;
      const colored = wantsColor(stream, env) && target.kind !== 'file';
      switch (reporter) {
        case 'human':
          text = terminalBlock(renderHuman(result, colored ? ansiPaint() : NO_COLOR), colored);
          break;
        case 'github':
          text = renderGithub(result);
          break;
        case 'json':
          text = renderJson(raw);
          break;
        case 'junit':
          text = renderJunit(result, hostname());
          break;
        case 'markdown':
          text = renderMarkdown(result);
          break;
      }
      if (target.kind === 'stdout') writeStdout(text);
      else if (target.kind === 'stderr') process.stderr.write(text);
      else {
        try {
          if (target.kind === 'file') {
            makeDirectory(dirname(target.path), `the ${reporter} report`);
            writeFileSync(target.path, text);
          } else {
            appendFileSync(target.path, text);
          }
          written.push(target.path);
        } catch (error) {
          if (error instanceof UsageError) throw error;
          throw new UsageError(`cannot write the ${reporter} report to ${target.path}: ${fsReason(error)}`);
        }
      }
    }
  }
  return written;
}
