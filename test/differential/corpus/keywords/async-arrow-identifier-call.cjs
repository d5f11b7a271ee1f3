const async = (x) => x * 10;
const r1 = async(4);
const f = async (x) => x * 10;
const r2 = f(4);
const g = async x => x + 1;
const h = async => async + 1;
console.log(r1, r2 instanceof Promise, h(1));
g(1).then((v) => console.log('g', v));
