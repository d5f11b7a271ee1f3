// The text reporters' number formats (one implementation: src/shared/format.ts).
export { formatMs, formatPercent } from '../shared/format.js';
