// How long the profiled thread waited for a CPU (Linux: /proc/<pid>/task/<tid>/schedstat), read
// by the recorder thread: time the program was runnable but another process had the CPU is not
// the program's lag or blocking, and the analysis takes it out (RecordKind.Sched).
import { closeSync, openSync, readSync } from 'node:fs';

export interface SchedSamples {
  tid: number;
  /** ms on the profiled process's performance.now() clock. */
  times: number[];
  /** Cumulative ns the thread ran on a CPU, and waited runnable on a run queue. */
  runNs: number[];
  waitNs: number[];
}

export class SchedSampler {
  private fd: number | null;
  private readonly buffer = Buffer.alloc(96);
  private samples: SchedSamples;

  constructor(private readonly tid: number) {
    try {
      this.fd = openSync(`/proc/self/task/${tid}/schedstat`, 'r');
    } catch {
      // Not Linux, or no scheduler statistics: lag is then wall-clock lag.
      this.fd = null;
    }
    this.samples = { tid, times: [], runNs: [], waitNs: [] };
  }

  sample(timeMs: number): void {
    if (this.fd === null) return;
    try {
      const n = readSync(this.fd, this.buffer, 0, this.buffer.length, 0);
      const text = this.buffer.toString('latin1', 0, n);
      const space = text.indexOf(' ');
      const second = text.indexOf(' ', space + 1);
      this.samples.times.push(timeMs);
      this.samples.runNs.push(Number(text.slice(0, space)));
      this.samples.waitNs.push(Number(text.slice(space + 1, second)));
    } catch {
      this.close();
    }
  }

  /** The samples since the last take, or null when there are none. */
  take(): SchedSamples | null {
    if (this.samples.times.length === 0) return null;
    const taken = this.samples;
    this.samples = { tid: this.tid, times: [], runNs: [], waitNs: [] };
    return taken;
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
