// Work budgets. Every pass counts its work units (iterations of its inner loops) on a Work meter;
// a pass that goes over its budget stops (WorkBudgetExceeded), and the pipeline reports in one
// line what was cut short instead of letting one odd trace shape hang the terminal. The counts
// are also what the complexity tests measure: they must grow at most as n log n.

export class WorkBudgetExceeded extends Error {
  constructor(
    readonly pass: string,
    readonly limit: number,
  ) {
    super(`${pass}: over its work budget of ${limit.toLocaleString('en-US')} units`);
  }
}

export class Work {
  units = 0;
  private nextReport = 0;

  constructor(
    readonly pass: string,
    readonly limit = Number.POSITIVE_INFINITY,
    private readonly onProgress?: (fraction: number) => void,
  ) {}

  /** Counts `n` units of work; throws WorkBudgetExceeded past the budget. */
  add(n = 1): void {
    this.units += n;
    if (this.units > this.limit) throw new WorkBudgetExceeded(this.pass, this.limit);
  }

  /** How far the pass is (0..1), for the progress line; cheap to call often. */
  progress(done: number, total: number): void {
    if (this.onProgress === undefined || done < this.nextReport) return;
    this.nextReport = done + Math.max(1, Math.floor(total / 100));
    this.onProgress(total > 0 ? done / total : 1);
  }
}

/** A meter without a budget, for analyses called on their own (tests, one task's path). */
export const unmetered = (pass = 'ad hoc'): Work => new Work(pass);
