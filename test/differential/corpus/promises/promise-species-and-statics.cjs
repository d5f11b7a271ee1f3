class Sub extends Promise {
  static get [Symbol.species]() { return Promise; }
}
const s = Sub.resolve(1);
const chained = s.then((x) => x);
console.log(s instanceof Sub, chained instanceof Sub, chained instanceof Promise, Promise.resolve(s) === s, Sub.resolve(s) === s);
const native = Promise.resolve(2);
console.log(Promise.resolve(native) === native);
(async () => {
  const f = async () => native;
  const p = f();
  console.log(p === native, p instanceof Promise, await p);
})();
