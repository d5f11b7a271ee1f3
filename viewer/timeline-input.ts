// The timeline's input: hover (tooltip, time under the pointer), clicks (select a task or a
// blocking stretch), wheel and drag over the lanes (scroll), a range drag on the ruler or with
// Shift (zoom to it), and what a d3-zoom drag means besides panning. It turns events into
// actions and moves; it draws nothing on the canvas and writes no state itself.
import { setText } from './dom.js';
import { formatInstant } from './format.js';
import type { Hit } from './hit.js';
import type { TimelineDom } from './timeline-dom.js';
import { Tooltip } from './tooltip.js';
import type { Store } from './store.js';
import type { ViewActions } from './view-actions.js';
import type { ViewState } from './view-state.js';
import type { GestureHooks, ZoomController } from './zoom-controller.js';

/** What the input needs from the timeline around it. */
export interface InputHost {
  /** What is under a point of the plot (CSS px from its top left corner). */
  hitAt(x: number, y: number): Hit | null;
  inLanes(y: number): boolean;
  plotWidth(): number;
  scrollBy(dy: number): void;
  scrollTo(y: number): void;
}

interface Pointer {
  x: number;
  y: number;
  clientX: number;
  clientY: number;
}

export class TimelineInput implements GestureHooks {
  private readonly tooltip: Tooltip;
  private pointer: Pointer | null = null;
  private dragInLanes = false;
  private brushFrom: number | null = null;

  constructor(
    private readonly dom: TimelineDom,
    private readonly store: Store<ViewState>,
    private readonly actions: ViewActions,
    private readonly zoom: ZoomController,
    private readonly host: InputHost,
  ) {
    this.tooltip = new Tooltip(() => store.state.trace);
    this.bindScrolling();
    this.bindPointer();
    this.bindBrush();
  }

  /** The pointer's x on the plot, when it is over it: keys zoom around it. */
  pointerX(): number | undefined {
    return this.pointer?.x;
  }

  /** The task under a point of the page (its bar or its resource lane), or -1: for the right-click menu. */
  taskAt(clientX: number, clientY: number): number {
    const hit = this.hitAtClient(clientX, clientY);
    if (hit?.kind === 'task') return hit.task;
    return hit?.kind === 'group' ? this.store.state.trace.c.groupTask[hit.group]! : -1;
  }

  /** After a render: what is under a still pointer may have moved. */
  refreshHover(): void {
    if (this.pointer && !this.tooltip.el.hidden) this.hover();
  }

  // ---- d3-zoom's gestures -----------------------------------------------------------------

  start(source: MouseEvent | null): void {
    this.dragInLanes = !!source && source.type === 'mousedown' && this.host.inLanes(this.localY(source));
    if (source?.type === 'mousedown') this.dom.plot.classList.add('dragging');
  }

  move(source: MouseEvent | null): void {
    // A drag over the lanes pans in time and scrolls them too.
    if (source && source.type === 'mousemove' && this.dragInLanes && source.movementY) this.host.scrollBy(-source.movementY);
    this.tooltip.hide();
  }

  end(): void {
    this.dom.plot.classList.remove('dragging');
    this.dragInLanes = false;
  }

  // ---- events ---------------------------------------------------------------------------

  private bindScrolling(): void {
    const { vscroll, sideLanes, plot } = this.dom;
    vscroll.addEventListener('scroll', () => {
      if (Math.abs(vscroll.scrollTop - this.store.state.scrollY) >= 1) this.host.scrollTo(vscroll.scrollTop);
    });
    // Wheel over the labels scrolls the lanes; Shift+wheel or a sideways swipe over the plot too.
    sideLanes.addEventListener(
      'wheel',
      (event) => {
        event.preventDefault();
        this.host.scrollBy(event.deltaY);
      },
      { passive: false },
    );
    plot.addEventListener(
      'wheel',
      (event) => {
        if (event.shiftKey) {
          event.preventDefault();
          this.host.scrollBy(event.deltaY || event.deltaX);
        } else if (Math.abs(event.deltaX) > Math.abs(event.deltaY)) {
          event.preventDefault();
          this.zoom.panBy(event.deltaX);
        }
      },
      { passive: false },
    );
  }

  private bindPointer(): void {
    const { plot, hoverLine, hoverTime } = this.dom;
    plot.addEventListener('mousemove', (event) => {
      const rect = plot.getBoundingClientRect();
      this.pointer = { x: event.clientX - rect.left, y: event.clientY - rect.top, clientX: event.clientX, clientY: event.clientY };
      if (event.buttons === 0) this.hover();
    });
    plot.addEventListener('mouseleave', () => {
      this.pointer = null;
      this.tooltip.hide();
      hoverLine.hidden = true;
      hoverTime.hidden = true;
    });
    plot.addEventListener('click', (event) => {
      const hit = this.hitAtClient(event.clientX, event.clientY);
      if (!hit) return;
      const { c } = this.store.state.trace;
      if (hit.kind === 'task') this.actions.selectTask(hit.task);
      else if (hit.kind === 'thread') this.actions.toggleGroup(hit.thread);
      else if (hit.kind === 'blocking') this.actions.selectBlocking(hit.blocking);
      else if (hit.kind === 'group' && c.groupTask[hit.group]! >= 0) this.actions.selectTask(c.groupTask[hit.group]!);
      else if (hit.kind === 'loop') {
        if (hit.blocking >= 0) this.actions.selectBlocking(hit.blocking);
        else if (hit.interval >= 0 && c.loopOwner[hit.interval]! >= 0) this.actions.selectTask(c.loopOwner[hit.interval]!);
      }
    });
  }

  /** Range zoom: drag on the ruler, or Shift+drag anywhere on the plot. */
  private bindBrush(): void {
    const { plot, axisWrap, brush } = this.dom;
    const plotX = (event: PointerEvent) => Math.min(Math.max(0, event.clientX - plot.getBoundingClientRect().left), this.host.plotWidth());
    const startBrush = (event: PointerEvent) => {
      if (event.button !== 0) return;
      this.brushFrom = plotX(event);
      brush.hidden = false;
      brush.style.left = `${this.brushFrom}px`;
      brush.style.width = '0px';
      this.tooltip.hide();
      event.preventDefault();
    };
    axisWrap.addEventListener('pointerdown', startBrush);
    plot.addEventListener(
      'pointerdown',
      (event) => {
        if (event.shiftKey) {
          event.stopPropagation();
          startBrush(event);
        }
      },
      { capture: true },
    );
    window.addEventListener('pointermove', (event) => {
      if (this.brushFrom === null) return;
      const x = plotX(event);
      brush.style.left = `${Math.min(x, this.brushFrom)}px`;
      brush.style.width = `${Math.abs(x - this.brushFrom)}px`;
    });
    window.addEventListener('pointerup', (event) => {
      if (this.brushFrom === null) return;
      const x = plotX(event);
      const from = this.brushFrom;
      this.brushFrom = null;
      brush.hidden = true;
      if (Math.abs(x - from) < 4) return;
      const scale = this.zoom.scale();
      this.actions.zoomTo(scale.invert(Math.min(x, from)), scale.invert(Math.max(x, from)));
    });
  }

  // ---- hover ----------------------------------------------------------------------------

  private hover(): void {
    const p = this.pointer;
    if (!p) return;
    const { hoverLine, hoverTime, plot } = this.dom;
    const { from, to } = this.store.state.window;
    const t = from + (p.x / this.host.plotWidth()) * (to - from);
    hoverLine.hidden = false;
    hoverLine.style.transform = `translateX(${Math.round(p.x)}px)`;
    hoverTime.hidden = false;
    setText(hoverTime, formatInstant(t));
    hoverTime.style.transform = `translateX(${Math.round(p.x)}px) translateX(-50%)`;
    const hit = this.host.hitAt(p.x, p.y);
    if (hit) this.tooltip.show(hit, p.clientX, p.clientY);
    else this.tooltip.hide();
    plot.classList.toggle('over-item', !!hit && (hit.kind === 'task' || hit.kind === 'blocking' || hit.kind === 'group' || hit.kind === 'thread'));
  }

  private localY(event: MouseEvent): number {
    return event.clientY - this.dom.plot.getBoundingClientRect().top;
  }

  private hitAtClient(clientX: number, clientY: number): Hit | null {
    const rect = this.dom.plot.getBoundingClientRect();
    return this.host.hitAt(clientX - rect.left, clientY - rect.top);
  }
}
