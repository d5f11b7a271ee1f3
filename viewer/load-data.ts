// Where the trace comes from: inline in an exported HTML file (gzip, base64), or from the server.

import { DATA_ELEMENT_ID, DATA_ENCODING_GZIP_BASE64, VIEW_DATA_PATH } from '../contract/viewer-wire.js';

async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function base64ToBytes(text: string): Uint8Array {
  const binary = atob(text.replace(/\s+/g, ''));
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

export async function loadTraceBytes(): Promise<Uint8Array> {
  const inline = document.getElementById(DATA_ELEMENT_ID);
  if (inline) {
    const bytes = base64ToBytes(inline.textContent ?? '');
    inline.remove(); // free the text: it can be tens of MB
    return inline.getAttribute('data-encoding') === DATA_ENCODING_GZIP_BASE64 ? gunzip(bytes) : bytes;
  }
  const response = await fetch(VIEW_DATA_PATH, { cache: 'no-store' });
  if (!response.ok) throw new Error(`could not load the trace (HTTP ${response.status})`);
  return new Uint8Array(await response.arrayBuffer());
}
