// One self-contained HTML file: the viewer's script and stylesheet inline, the view model inline
// (gzip, base64; the page inflates it with DecompressionStream), no network at all. Opens from
// file://, attaches to CI runs, mails around. A Content-Security-Policy allows only its own
// inline script and style (by hash) and no connections.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { TraceModel } from '../model/types.js';
import { DATA_ELEMENT_ID, DATA_ENCODING_GZIP_BASE64 } from '../../contract/viewer-wire.js';
import { loadViewerAssets } from '../server/viewer-assets.js';
import { escapeInlineScript, escapeInlineStyle, renderPage } from '../server/viewer-page.js';
import { concatChunks, encodeViewModel } from '../view-model/binary-format.js';
import { buildViewModel } from '../view-model/build-view-model.js';

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

export function renderHtmlExport(model: TraceModel): string {
  const assets = loadViewerAssets();
  const blob = concatChunks(encodeViewModel(buildViewModel(model)));
  const data = gzipSync(blob, { level: 6 }).toString('base64');
  const script = escapeInlineScript(assets.script);
  const style = escapeInlineStyle(assets.style);
  const csp = `default-src 'none'; script-src ${sha256(script)}; style-src ${sha256(style)}; img-src data:; base-uri 'none'; form-action 'none'`;
  return renderPage(assets.html, {
    csp: `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    style: `<style>${style}</style>`,
    // Not executed (a data block); base64 has no "<", so it cannot end its element.
    data: `<script type="application/octet-stream" id="${DATA_ELEMENT_ID}" data-encoding="${DATA_ENCODING_GZIP_BASE64}">${data}</script>`,
    script: `<script>${script}</script>`,
  });
}

export function exportHtml(model: TraceModel, file: string): number {
  const html = renderHtmlExport(model);
  writeFileSync(file, html);
  return Buffer.byteLength(html);
}
