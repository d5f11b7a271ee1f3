// The hover tooltip: what is under the pointer, in words. DOM text only.
import { SEGMENT_RUN } from '../src/view-model/types.js';
import { h, clear, append } from './dom.js';
import { formatCount, formatDuration, formatFrame, formatInstant, formatPercent } from './format.js';
import type { Hit } from './hit.js';
import type { Trace } from './trace.js';

export class Tooltip {
  readonly el: HTMLDivElement;

  /** `traceOf`: the data on screen, read at each show (it may be replaced). */
  constructor(private readonly traceOf: () => Trace) {
    this.el = h('div', { class: 'tooltip', role: 'tooltip' });
    this.el.hidden = true;
    document.body.appendChild(this.el);
  }

  hide(): void {
    this.el.hidden = true;
  }

  show(hit: Hit, clientX: number, clientY: number): void {
    clear(this.el);
    this.content(hit);
    this.el.hidden = false;
    const pad = 14;
    const rect = this.el.getBoundingClientRect();
    let left = clientX + pad;
    let top = clientY + pad;
    if (left + rect.width > window.innerWidth - 4) left = clientX - pad - rect.width;
    if (top + rect.height > window.innerHeight - 4) top = clientY - pad - rect.height;
    this.el.style.left = `${Math.max(4, left)}px`;
    this.el.style.top = `${Math.max(4, top)}px`;
  }

  private line(...parts: (string | Node)[]): HTMLDivElement {
    return h('div', { class: 'tt-line' }, ...parts);
  }

  private code(fileIndex: number, line: number): HTMLElement | null {
    const text = this.traceOf().source(fileIndex, line);
    return text ? h('code', { class: 'tt-code' }, text) : null;
  }

  private blockingNote(k: number): void {
    if (k < 0) return;
    const b = this.traceOf().header.blocking[k]!;
    append(
      this.el,
      h(
        'div',
        { class: 'tt-block' },
        b.awaitChain
          ? `⚠ The event loop was blocked here for ${formatDuration(b.durationMs)} by ${formatCount(b.awaitsResumed)} awaits resuming back to back, most time in ${b.function || '(anonymous)'} (${b.file}:${b.line})`
          : `⚠ The event loop was blocked here for ${formatDuration(b.durationMs)} by ${b.function || '(anonymous)'} (${b.file}:${b.line})`,
      ),
    );
  }

  private content(hit: Hit): void {
    const trace = this.traceOf();
    const c = trace.c;
    const el = this.el;
    switch (hit.kind) {
      case 'task': {
        const i = hit.task;
        const outcome = trace.outcome(i);
        const dur = c.taskEnd[i]! - c.taskStart[i]!;
        append(
          el,
          h('div', { class: 'tt-title' }, h('span', { class: 'tt-name' }, trace.name(i)), h('span', { class: `badge ${outcome}` }, outcome)),
          this.line(trace.location(i)),
          this.line(`started at ${formatInstant(c.taskStart[i]!)} · took ${formatDuration(dur)}`),
          this.line(`ran ${formatDuration(c.taskRun[i]!)} · waited ${formatDuration(c.taskWait[i]!)}`),
        );
        if (hit.segment >= 0) {
          const s = hit.segment;
          const running = c.segKind[s] === SEGMENT_RUN;
          const d = c.segEnd[s]! - c.segStart[s]!;
          const line = c.segLine[s]!;
          append(
            el,
            h(
              'div',
              { class: `tt-seg ${running ? 'run' : 'wait'}` },
              h('span', { class: 'swatch' }),
              running
                ? `running ${formatDuration(d)} on the event loop, from ${formatInstant(c.segStart[s]!)}`
                : `waiting ${formatDuration(d)} at the await on line ${line}, from ${formatInstant(c.segStart[s]!)}`,
            ),
          );
          const code = this.code(c.taskFile[i]!, line);
          const where = running ? (line === c.taskLine[i] ? `started at line ${line}` : `resumed after line ${line}`) : `line ${line}`;
          append(el, h('div', { class: 'tt-line' }, code ? `${where}: ` : where, code));
        }
        this.blockingNote(hit.blocking);
        append(el, h('div', { class: 'tt-hint' }, 'click for details'));
        return;
      }
      case 'group': {
        const g = hit.group;
        const type = trace.str(c.groupType[g]!);
        const r0 = c.groupResOff[g]!;
        const r1 = c.groupResOff[g + 1]!;
        const t = c.groupTask[g]!;
        append(el, h('div', { class: 'tt-title' }, h('span', { class: 'tt-name' }, `${type} ×${formatCount(r1 - r0)}`)));
        append(el, this.line(t >= 0 ? `created by ${trace.name(t)} (${trace.location(t)})` : 'created outside any task'));
        // The resource nearest the pointer.
        let best = -1;
        let bestD = Infinity;
        for (let r = r0; r < r1 && r - r0 < 100_000; r++) {
          const a = c.resCreated[r]!;
          const e = Number.isFinite(c.resEnd[r]!) ? c.resEnd[r]! : a;
          const d = hit.t < a ? a - hit.t : hit.t > e ? hit.t - e : 0;
          if (d < bestD) {
            bestD = d;
            best = r;
          }
        }
        if (best >= 0) {
          const callbacks = c.resCbOff[best + 1]! - c.resCbOff[best]!;
          const end = c.resEnd[best]!;
          append(
            el,
            this.line(
              `#${c.resId[best]} created at ${formatInstant(c.resCreated[best]!)}` +
                (Number.isFinite(end) ? `, done at ${formatInstant(end)} (${formatDuration(end - c.resCreated[best]!)})` : ', never closed') +
                ` · ${callbacks} callback${callbacks === 1 ? '' : 's'}`,
            ),
          );
        }
        this.blockingNote(hit.blocking);
        return;
      }
      case 'thread': {
        const thread = trace.threads[hit.thread]!;
        append(el, h('div', { class: 'tt-title' }, h('span', { class: 'tt-name' }, thread.name)));
        const tasks = thread.endTask - thread.firstTask;
        append(el, this.line(`${formatCount(tasks)} task${tasks === 1 ? '' : 's'}` + (thread.elu !== null ? ` · loop busy ${formatPercent(thread.elu)}` : '')));
        append(el, this.line(`lag p50 ${formatDuration(thread.lag.p50Ms)}, p99 ${formatDuration(thread.lag.p99Ms)}, max ${formatDuration(thread.lag.maxMs)}`));
        const stretch = thread.blocking.find((b) => hit.t >= b.startMs && hit.t <= b.endMs);
        if (stretch) append(el, this.line(`⚠ blocked ${formatDuration(stretch.durationMs)} by ${stretch.function || '(anonymous)'} (${stretch.file}:${stretch.line})`));
        else append(el, this.line(thread.blocking.length === 0 ? 'no blocking' : `${thread.blocking.length} blocking stretch${thread.blocking.length === 1 ? '' : 'es'}`));
        return;
      }
      case 'loop': {
        append(el, h('div', { class: 'tt-title' }, h('span', { class: 'tt-name' }, 'Event loop')));
        if (hit.interval >= 0) {
          const k = hit.interval;
          const a = c.loopStart[k]!;
          const b = c.loopEnd[k]!;
          append(el, this.line(`running task code for ${formatDuration(b - a)} (${formatInstant(a)} – ${formatInstant(b)})`));
          const owner = c.loopOwner[k]!;
          const n = c.loopTasks[k]!;
          if (owner >= 0) append(el, this.line(`${formatCount(n)} task${n === 1 ? '' : 's'} ran; mostly ${trace.name(owner)} (${trace.location(owner)})`));
        } else {
          append(el, this.line(`idle at ${formatInstant(hit.t)}: no task code running`));
        }
        const share = hit.busy / Math.max(1e-9, hit.to - hit.from);
        if (hit.to - hit.from > 0.05) append(el, this.line(`busy ${formatPercent(Math.min(1, share))} of this pixel's ${formatDuration(hit.to - hit.from)}`));
        this.blockingNote(hit.blocking);
        return;
      }
      case 'lag': {
        append(el, h('div', { class: 'tt-title' }, h('span', { class: 'tt-name' }, 'Event-loop lag')));
        if (Number.isFinite(hit.at)) {
          append(el, this.line(`${formatDuration(hit.value)} at ${formatInstant(hit.at)}`));
          append(el, this.line('how late a timer due then fired: the loop was busy'));
        } else append(el, this.line(`no sample near ${formatInstant(hit.t)}`));
        return;
      }
      case 'conc': {
        append(el, h('div', { class: 'tt-title' }, h('span', { class: 'tt-name' }, 'Tasks in flight')));
        append(el, this.line(`${formatCount(hit.value)} task${hit.value === 1 ? '' : 's'} started and not finished at ${formatInstant(hit.t)}`));
        return;
      }
      case 'blocking': {
        const b = trace.header.blocking[hit.blocking]!;
        append(
          el,
          h('div', { class: 'tt-title' }, h('span', { class: 'tt-name' }, `Blocked ${formatDuration(b.durationMs)}`)),
          b.awaitChain ? this.line(`${formatCount(b.awaitsResumed)} awaits resumed back to back`) : null,
          this.line(`${b.function || '(anonymous)'} · ${b.file}:${b.line}`),
        );
        const fileIndex = trace.strings.indexOf(b.file);
        const code = fileIndex >= 0 ? this.code(fileIndex, b.line) : null;
        if (code) append(el, h('div', { class: 'tt-line' }, code));
        if (b.inside) append(el, this.line(`time spent in ${formatFrame(b.inside)}`));
        if (b.task >= 0) append(el, this.line(`in task ${trace.name(b.task)}`));
        append(el, this.line(`from ${formatInstant(b.startMs)}; nothing else could run meanwhile`));
        append(el, h('div', { class: 'tt-hint' }, 'click for details'));
        return;
      }
    }
  }
}
