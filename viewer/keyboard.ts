// Keys as in Perfetto: W/S zoom in/out (around the pointer), A/D pan, held down for smooth
// motion; 0 resets the zoom; Escape closes the details panel.

/** The moves the keys make (the timeline's). */
export interface KeyboardMoves {
  zoomBy(factor: number, atPx?: number): void;
  panBy(px: number): void;
  reset(): void;
  /** The pointer's x over the plot, if it is there: W and S zoom around it. */
  pointerX(): number | undefined;
}

export function bindKeyboard(moves: KeyboardMoves, onEscape: () => void): void {
  const held = new Set<string>();
  let frame = 0;
  let last = 0;
  const step = (now: number) => {
    const dt = Math.min(50, now - (last || now)) / 16.7;
    last = now;
    const at = moves.pointerX();
    if (held.has('w')) moves.zoomBy(Math.pow(1.06, dt), at);
    if (held.has('s')) moves.zoomBy(Math.pow(1 / 1.06, dt), at);
    if (held.has('a')) moves.panBy(-12 * dt);
    if (held.has('d')) moves.panBy(12 * dt);
    frame = held.size > 0 ? requestAnimationFrame(step) : 0;
  };
  const editing = (target: EventTarget | null) => {
    const el = target as HTMLElement | null;
    return !!el && (el.tagName === 'INPUT' || el.tagName === 'SELECT' || el.tagName === 'TEXTAREA' || el.isContentEditable);
  };
  window.addEventListener('keydown', (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || editing(event.target)) return;
    const key = event.key.toLowerCase();
    if (key === 'w' || key === 's' || key === 'a' || key === 'd') {
      event.preventDefault();
      // A key press also moves once, so a short tap is never lost.
      if (!held.has(key) && !event.repeat) {
        if (key === 'w') moves.zoomBy(1.25, moves.pointerX());
        if (key === 's') moves.zoomBy(0.8, moves.pointerX());
        if (key === 'a') moves.panBy(-60);
        if (key === 'd') moves.panBy(60);
      }
      held.add(key);
      if (!frame) {
        last = 0;
        frame = requestAnimationFrame(step);
      }
    } else if (key === '0') {
      moves.reset();
    } else if (key === 'escape') {
      onEscape();
    }
  });
  window.addEventListener('keyup', (event) => held.delete(event.key.toLowerCase()));
  window.addEventListener('blur', () => held.clear());
}
