// One-line advice for a blocking stretch CI reports: the advice of the blocking hint
// (analysis/blocking-advice.ts), from the function and what it called.
import { blockingAdvice } from '../analysis/blocking-advice.js';
import type { BlockingSite } from './metrics.js';

export function fixHint(site: Pick<BlockingSite, 'function' | 'inside'>): string {
  // `inside` reads "readFileSync (node:fs)": the function is its first word.
  const inside = site.inside === null ? null : (site.inside.split(' ')[0] ?? null);
  return blockingAdvice({ function: site.function, inside, awaitChain: false, nodeSetup: false });
}
