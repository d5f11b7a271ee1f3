// Vertical layout of the plot (CSS pixels): the event-loop lane on top, the task lanes (scrolled),
// then the lag chart and the concurrency curve. The label column mirrors the same bands.

export const ROW_H = 22;
export const BAR_Y = 4;
export const BAR_H = 14;
export const LOOP_H = 44;
export const GAP = 8;
export const LAG_H = 62;
export const CONC_H = 62;
export const CHART_GAP = 10;

export interface Bands {
  width: number;
  height: number;
  loopTop: number;
  loopBottom: number;
  lanesTop: number;
  lanesBottom: number;
  lagTop: number;
  lagBottom: number;
  concTop: number;
  concBottom: number;
}

/** Lanes take the room they need (the charts follow right under them), at most what is left. */
export function bands(width: number, height: number, rows: number): Bands {
  const loopTop = 0;
  const loopBottom = LOOP_H;
  const lanesTop = loopBottom + GAP;
  const chartsHeight = GAP + LAG_H + CHART_GAP + CONC_H + 4;
  const maxLanesBottom = Math.max(lanesTop + ROW_H, height - chartsHeight);
  const lanesBottom = Math.min(maxLanesBottom, lanesTop + Math.max(1, rows) * ROW_H + 6);
  const lagTop = lanesBottom + GAP;
  const lagBottom = lagTop + LAG_H;
  const concTop = lagBottom + CHART_GAP;
  const concBottom = concTop + CONC_H;
  return { width, height, loopTop, loopBottom, lanesTop, lanesBottom, lagTop, lagBottom, concTop, concBottom };
}
