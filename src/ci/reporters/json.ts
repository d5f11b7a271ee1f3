// The json reporter: the CiResult itself (docs/ci.md, "JSON output").
import type { CiResult } from '../result.js';

export function renderJson(result: CiResult): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}
