class Widget {
  label = 'w';
  fetchLabel = async () => { await null; return this.label; };
  static registry = [];
  static add = async (w) => { await null; this.registry.push(w.label); return this.registry.length; };
  static {
    this.ready = (async () => { await null; return 'static block ran'; })();
  }
}
const w = new Widget();
const detached = w.fetchLabel;
console.log(await detached(), await Widget.add(w), await Widget.ready, Object.keys(w));
