// The contract room: every format and name that crosses from the profiled process (instrument/)
// to the tools that read its trace (src/), and from the server to the viewer. It imports
// nothing from either side; both sides import it.
export * from './trace-format.js';
export * from './trace-records.js';
export * from './environment.js';
export * from './defaults.js';
export * from './meta.js';
export * from './viewer-wire.js';
export * from './record-frame.js';
export * from './event-chunk.js';
export * from './thread-record.js';
