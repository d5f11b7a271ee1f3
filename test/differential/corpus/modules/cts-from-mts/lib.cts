export const fromCts = async (x: number) => x * 2;
export function helper(): string { return 'cts helper'; }
export default { kind: 'cts default' };
