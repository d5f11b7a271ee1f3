class Repository {
  async find(id: number): Promise<{ id: number }> {
    await new Promise((r) => setImmediate(r));
    if (id < 0) throw new Error(`negative id ${id}`);
    return { id };
  }
}
const repo = new Repository();
async function handler(ids: number[]) {
  return Promise.all(ids.map((id) => repo.find(id)));
}
handler([1, -2]).catch((error: Error) => {
  console.log(error.stack!.split('\n').filter((l) => !l.includes('node_modules') && !l.includes('node:internal')).join('\n'));
});
