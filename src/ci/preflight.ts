// Before any script runs: every place `ci` will write is checked (the baseline with
// --update-baseline, the reports' directory, the step summary), so that an hour of runs never
// ends in "cannot write". Problems are one line and exit 2.
import { probeAppendable, probeDirectory, probeWritable } from '../files/probe-writable.js';
import type { Destination } from './output.js';
import type { CiPlan } from './plan.js';

export function checkWritablePlaces(plan: CiPlan, destinations: Destination[]): void {
  if (plan.updateBaseline && plan.baselinePath) probeWritable(plan.baselinePath, 'the baseline');
  if (plan.outDir) probeDirectory(plan.outDir, 'the reports');
  for (const { reporter, targets } of destinations) {
    for (const target of targets) if (target.kind === 'append') probeAppendable(target.path, `the ${reporter} report`);
  }
}
