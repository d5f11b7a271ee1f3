class Queue {
  #items = [];
  async push(x) { await null; this.#items.push(x); return this; }
  async drain() { const out = []; while (this.#items.length) out.push(await this.#items.shift()); return out; }
}
class LoggingQueue extends Queue {
  async push(x) { console.log('push', x); return super.push(x); }
}
const q = new LoggingQueue();
await q.push(1);
await (await q.push(2)).push(Promise.resolve(3));
console.log(await q.drain());
