async function a(x, y) {}
async function b(x, y = 1, z) {}
async function c(...rest) {}
async function d({ x }, [y]) {}
const e = async (p, q, r) => {};
const f = async function () {};
const obj = { async ['comp' + 'uted'](one) {}, async 'quoted name'() {}, async [Symbol.for('sym')]() {} };
class K { async #priv(a) {} static async st(a, b) {} getPriv() { return this.#priv; } }
const list = [a, b, c, d, e, f, obj.computed, obj['quoted name'], obj[Symbol.for('sym')], new K().getPriv(), K.st, a.bind(null, 1), async () => {}];
for (const fn of list) console.log(JSON.stringify(fn.name), fn.length);
