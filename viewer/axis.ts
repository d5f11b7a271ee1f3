// The time axis (d3-axis in SVG) with units that follow the zoom: µs, ms, s or min.
import { axisTop, select, type ScaleLinear, type Selection } from 'd3';
import { tickFormatter } from './format.js';

export class TimeAxis {
  private readonly g: Selection<SVGGElement, unknown, null, undefined>;

  constructor(readonly svg: SVGSVGElement) {
    this.g = select(svg).append('g').attr('class', 'axis');
  }

  /** Draws the axis for the scale and returns the tick times (for the grid). */
  update(x: ScaleLinear<number, number>, width: number, height: number): number[] {
    const [t0, t1] = x.domain() as [number, number];
    const ticks = x.ticks(Math.max(2, Math.floor(width / 110)));
    const step = ticks.length > 1 ? ticks[1]! - ticks[0]! : t1 - t0;
    const format = tickFormatter(t0, t1, step, ticks[0] ?? t0);
    this.svg.setAttribute('width', String(width));
    this.svg.setAttribute('height', String(height));
    this.g.attr('transform', `translate(0,${height - 1})`);
    this.g.call(
      axisTop<number>(x)
        .tickValues(ticks)
        .tickFormat((v) => format(v))
        .tickSizeOuter(0)
        .tickSize(5),
    );
    // Labels at the very edges would be cut in half: anchor them inwards.
    this.g.selectAll<SVGTextElement, number>('.tick text').attr('text-anchor', (v) => {
      const px = x(v);
      return px < 24 ? 'start' : px > width - 24 ? 'end' : 'middle';
    });
    return ticks;
  }
}
