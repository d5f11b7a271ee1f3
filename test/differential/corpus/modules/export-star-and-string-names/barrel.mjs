export * from './parts.mjs';
export * as namespaced from './parts.mjs';
