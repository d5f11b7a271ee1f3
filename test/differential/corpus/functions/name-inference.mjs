const assigned = async () => {};
let later;
later = async function () {};
const o = { prop: async () => {}, ['comp' + 'uted']: async () => {} };
const sym = Symbol('desc');
const s = { [sym]: async () => {} };
const { defaulted = async () => {} } = {};
class K { static field = async () => {}; #p = async () => {}; getP() { return this.#p; } }
const def = await Promise.resolve(async function () {});
console.log([assigned, later, o.prop, o.computed, s[sym], defaulted, K.field, new K().getP(), def].map((f) => f.name));
