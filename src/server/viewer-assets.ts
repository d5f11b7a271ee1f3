// The built viewer (dist/viewer: index.html, app.js, style.css), found next to the running CLI
// (dist/cli.js) or, when running from the sources, in the package's dist/.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../errors.js';

export interface ViewerAssets {
  html: string;
  script: string;
  style: string;
}

export function viewerDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [join(here, 'viewer'), join(here, '..', 'dist', 'viewer'), join(here, '..', '..', 'dist', 'viewer')]) {
    if (existsSync(join(candidate, 'app.js')) && existsSync(join(candidate, 'index.html'))) return candidate;
  }
  throw new UsageError('the viewer is not built: run `npm run build`');
}

let cached: ViewerAssets | null = null;

export function loadViewerAssets(): ViewerAssets {
  if (cached) return cached;
  const dir = viewerDir();
  cached = {
    html: readFileSync(join(dir, 'index.html'), 'utf8'),
    script: readFileSync(join(dir, 'app.js'), 'utf8'),
    style: readFileSync(join(dir, 'style.css'), 'utf8'),
  };
  return cached;
}
