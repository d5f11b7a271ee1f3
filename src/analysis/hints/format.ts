// Durations inside hint messages: the one formatter of src/ (shared/format.ts).
export { formatMs as fmt } from '../../shared/format.js';

export const round = (v: number) => Math.round(v * 1000) / 1000;
