export const add = async (a: number, b: number) => a + b;
