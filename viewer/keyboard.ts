// Keys as in Perfetto: W/S zoom in/out (around the pointer), A/D pan, held down for smooth
// motion; 0 resets the zoom; Escape closes the details panel.
import type { Timeline } from './timeline.js';

export function bindKeyboard(timeline: Timeline, onEscape: () => void): void {
  const held = new Set<string>();
  let frame = 0;
  let last = 0;
  const step = (now: number) => {
    const dt = Math.min(50, now - (last || now)) / 16.7;
    last = now;
    const at = timeline.pointerX();
    if (held.has('w')) timeline.zoomBy(Math.pow(1.06, dt), at);
    if (held.has('s')) timeline.zoomBy(Math.pow(1 / 1.06, dt), at);
    if (held.has('a')) timeline.panBy(-12 * dt);
    if (held.has('d')) timeline.panBy(12 * dt);
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
        if (key === 'w') timeline.zoomBy(1.25, timeline.pointerX());
        if (key === 's') timeline.zoomBy(0.8, timeline.pointerX());
        if (key === 'a') timeline.panBy(-60);
        if (key === 'd') timeline.panBy(60);
      }
      held.add(key);
      if (!frame) {
        last = 0;
        frame = requestAnimationFrame(step);
      }
    } else if (key === '0') {
      timeline.reset();
    } else if (key === 'escape') {
      onEscape();
    }
  });
  window.addEventListener('keyup', (event) => held.delete(event.key.toLowerCase()));
  window.addEventListener('blur', () => held.clear());
}
