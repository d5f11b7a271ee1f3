console.log('side.ts evaluated');
export interface Shape { kind: string }
export const value = 1;
