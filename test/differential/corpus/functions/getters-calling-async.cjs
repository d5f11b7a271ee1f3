class Repo {
  #cache = new Map();
  async #load(key) { await new Promise((r) => setTimeout(r, 5)); return key.toUpperCase(); }
  get users() { return this.#load('users'); }
  set key(k) { this.#cache.set(k, this.#load(k)); }
  get cached() { return Promise.all([...this.#cache.values()]); }
  static get instance() { return (this._i ??= new Repo()); }
}
const obj = { get value() { return (async () => 'getter async')(); } };
(async () => {
  const repo = Repo.instance;
  repo.key = 'a';
  repo.key = 'b';
  console.log(await repo.users, await repo.cached, await obj.value, Repo.instance === repo);
})();
