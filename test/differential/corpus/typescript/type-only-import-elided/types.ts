console.log('types.ts was evaluated (side effect)');
export interface Options { verbose: boolean }
export type Mode = 'a' | 'b';
