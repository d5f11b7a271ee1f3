// Positions in a stack trace are the TypeScript source's: tsx maps them back through source maps.
type Handler = (input: { value: number }) => Promise<number>;
const handlers: Record<string, Handler> = {
  double: async ({ value }: { value: number }): Promise<number> => { await null; return value * 2; },
  fail: async ({ value }: { value: number }): Promise<number> => { await null; throw new Error(`failed on ${value}`); },
};
async function dispatch(name: string, value: number): Promise<number> {
  const handler: Handler | undefined = handlers[name];
  return await handler!({ value });
}
dispatch('double', 2).then(async (v) => {
  console.log(v);
  try { await dispatch('fail', 3); } catch (e) {
    console.log((e as Error).stack!.split('\n').filter((l) => l.includes('stack-columns')).map((l) => l.trim().replace(/\(.*[\\/]/, '(')).join('\n'));
  }
});
