const mods = await Promise.all(['./fn.mjs', './arrow.mjs', './named.mjs', './cls.mjs'].map((p) => import(p)));
for (const m of mods) {
  const d = m.default;
  const result = d.prototype && d.prototype.run ? await new d().run() : await d();
  console.log(JSON.stringify(d.name), result);
}
