export const esmValue = 'from other.mjs';
export async function esmAsync() { return 'esm async'; }
