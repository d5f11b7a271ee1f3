// Where the trace comes from: inline in an exported HTML file (gzip, base64), or from the server.

import { DATA_ELEMENT_ID, DATA_ENCODING_GZIP_BASE64, LIVE_HEADER, LIVE_SNAPSHOT_HEADER, VIEW_DATA_PATH } from '../contract/viewer-wire.js';

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

export interface LoadedData {
  bytes: Uint8Array;
  /** The data's version on a live server (`run --live`), null otherwise. */
  liveVersion: number | null;
  /** The live server takes snapshots of a flight recorder's window (`run --live --keep`). */
  snapshots: boolean;
}

export async function loadTraceBytes(): Promise<LoadedData> {
  const inline = document.getElementById(DATA_ELEMENT_ID);
  if (inline) {
    const bytes = base64ToBytes(inline.textContent ?? '');
    inline.remove(); // free the text: it can be tens of MB
    return { bytes: inline.getAttribute('data-encoding') === DATA_ENCODING_GZIP_BASE64 ? await gunzip(bytes) : bytes, liveVersion: null, snapshots: false };
  }
  return fetchServedData();
}

/** The view data the server holds now. */
export async function fetchServedData(): Promise<LoadedData> {
  const response = await fetch(VIEW_DATA_PATH, { cache: 'no-store' });
  if (!response.ok) throw new Error(`could not load the trace (HTTP ${response.status})`);
  const live = response.headers.get(LIVE_HEADER);
  return { bytes: new Uint8Array(await response.arrayBuffer()), liveVersion: live === null ? null : Number(live), snapshots: response.headers.get(LIVE_SNAPSHOT_HEADER) === '1' };
}
