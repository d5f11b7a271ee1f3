// After the profiled process is gone: drop any half-written record and append an Epilogue with
// how it really ended. The process's own End record cannot know: exit handlers of the script
// run after the profiler's and may still set process.exitCode, and SIGKILL leaves no End.
import { closeSync, fstatSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import { HEADER_BYTES, RECORD_HEADER_BYTES, RecordKind } from '../../contract/index.js';

export function sealTrace(path: string, epilogue: { exitCode: number; signal: string | null; timedOut: boolean }): void {
  let fd: number;
  try {
    fd = openSync(path, 'r+');
  } catch {
    return;
  }
  try {
    const size = fstatSync(fd).size;
    if (size < HEADER_BYTES) return;
    const header = Buffer.alloc(RECORD_HEADER_BYTES);
    let offset = HEADER_BYTES;
    let lastKind = 0;
    while (offset + RECORD_HEADER_BYTES <= size) {
      readSync(fd, header, 0, RECORD_HEADER_BYTES, offset);
      const next = offset + RECORD_HEADER_BYTES + header.readUInt32LE(4);
      if (next > size) break;
      lastKind = header.readUInt32LE(0);
      offset = next;
    }
    if (lastKind === RecordKind.Epilogue) return;
    if (offset < size) ftruncateSync(fd, offset);
    const json = Buffer.from(JSON.stringify(epilogue), 'utf8');
    const head = Buffer.alloc(RECORD_HEADER_BYTES);
    head.writeUInt32LE(RecordKind.Epilogue, 0);
    head.writeUInt32LE(json.length, 4);
    writeSync(fd, Buffer.concat([head, json]), 0, head.length + json.length, offset);
  } finally {
    closeSync(fd);
  }
}
