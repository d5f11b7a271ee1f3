const p: unknown = Promise.resolve(41);
const q = Promise.resolve<string | undefined>('defined');
async function f(): Promise<number> {
  const a = await (p as Promise<number>);
  const b = await <Promise<number>>p;
  const c = (await q)!.length;
  const d = (await q satisfies string | undefined) ?? 'fallback';
  const e = <const>['x', await Promise.resolve(1)];
  return a + b + c + d.length + e.length;
}
const generic = async <T>(value: T): Promise<T> => value;
f().then(async (n) => console.log(n, await generic<number>(5)));
