// The timeline's elements: the corner and the time ruler on top; the label column (event loop,
// lane labels, lag, tasks in flight) beside the plot; the plot: one canvas, the hover line, the
// range brush and a transparent scroll bar over the lanes. Built once; timeline.ts places the
// bands, the renderer writes into them, timeline-input.ts listens on them.
import { h } from './dom.js';
import type { Bands } from './geometry.js';

export interface TimelineDom {
  readonly el: HTMLDivElement;
  readonly corner: HTMLDivElement;
  readonly axisWrap: HTMLDivElement;
  readonly axisSvg: SVGSVGElement;
  readonly hoverTime: HTMLDivElement;
  readonly sideLoop: HTMLDivElement;
  readonly sideLanes: HTMLDivElement;
  readonly lanesLabels: HTMLDivElement;
  readonly sideLag: HTMLDivElement;
  readonly sideConc: HTMLDivElement;
  readonly plot: HTMLDivElement;
  readonly canvas: HTMLCanvasElement;
  readonly ctx: CanvasRenderingContext2D;
  readonly hoverLine: HTMLDivElement;
  readonly brush: HTMLDivElement;
  readonly vscroll: HTMLDivElement;
  readonly vspacer: HTMLDivElement;
}

export function buildTimelineDom(): TimelineDom {
  const corner = h('div', { class: 'corner' });
  const axisSvg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  axisSvg.setAttribute('class', 'axis-svg');
  axisSvg.setAttribute('aria-label', 'time axis (drag to zoom to a range)');
  const hoverTime = hidden(h('div', { class: 'hover-time' }));
  const axisWrap = h('div', { class: 'axis-wrap', title: 'drag to zoom to a range' });
  axisWrap.append(axisSvg, hoverTime);

  const lanesLabels = h('div', { class: 'lanes-labels' });
  const sideLanes = h('div', { class: 'side-lanes' }, lanesLabels);
  const sideLoop = h('div', { class: 'side-band side-loop' });
  const sideLag = h('div', { class: 'side-band side-lag' });
  const sideConc = h('div', { class: 'side-band side-conc' });
  const side = h('div', { class: 'side' }, sideLoop, sideLanes, sideLag, sideConc);

  const canvas = h('canvas', { class: 'plot-canvas' });
  canvas.setAttribute('aria-label', 'timeline of tasks, event loop, lag and concurrency');
  canvas.setAttribute('role', 'img');
  const ctx = canvas.getContext('2d', { alpha: false });
  if (!ctx) throw new Error('canvas 2d is not available');
  const vspacer = h('div', { class: 'vspacer' });
  const vscroll = h('div', { class: 'vscroll', 'aria-hidden': 'true' }, vspacer);
  const hoverLine = hidden(h('div', { class: 'hover-line' }));
  const brush = hidden(h('div', { class: 'brush' }));
  const plot = h('div', { class: 'plot' }, canvas, hoverLine, brush, vscroll);
  const el = h('div', { class: 'timeline' }, corner, axisWrap, side, plot);
  return { el, corner, axisWrap, axisSvg, hoverTime, sideLoop, sideLanes, lanesLabels, sideLag, sideConc, plot, canvas, ctx, hoverLine, brush, vscroll, vspacer };
}

function hidden<E extends HTMLElement>(el: E): E {
  el.hidden = true;
  return el;
}

/** The label column's bands and the lanes' scroll bar, level with the canvas's bands. */
export function placeBands(dom: TimelineDom, b: Bands): void {
  const place = (el: HTMLElement, top: number, bottom: number) => {
    el.style.top = `${top}px`;
    el.style.height = `${bottom - top}px`;
  };
  place(dom.sideLoop, b.loopTop, b.loopBottom);
  place(dom.sideLanes, b.lanesTop, b.lanesBottom);
  place(dom.sideLag, b.lagTop, b.lagBottom);
  place(dom.sideConc, b.concTop, b.concBottom);
  place(dom.vscroll, b.lanesTop, b.lanesBottom);
}
