export const fromIndex = 'directory index.ts';
