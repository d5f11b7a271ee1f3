console.log('evaluate a');
export const a = await Promise.resolve('a (with top-level await)');
