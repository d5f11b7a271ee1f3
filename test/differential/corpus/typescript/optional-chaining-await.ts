interface Api { get?(id: number): Promise<{ name?: string } | null> }
const api: Api = { get: async (id) => (id > 0 ? { name: `user ${id}` } : null) };
const empty: Api = {};
(async () => {
  console.log((await api.get?.(1))?.name, (await api.get?.(0))?.name ?? 'nobody', await empty.get?.(1));
  let cache: string | undefined;
  cache ??= (await api.get!(2))?.name;
  console.log(cache);
})();
