const sleep = (ms, v) => new Promise((r) => setTimeout(r, ms, v));
const fail = (ms, m) => new Promise((_, j) => setTimeout(() => j(new Error(m)), ms));
const show = async (label, p) => {
  try { console.log(label, 'fulfilled', JSON.stringify(await p)); } catch (e) { console.log(label, 'rejected', e.constructor.name, e.message, e.errors?.map((x) => x.message)); }
};
await show('all ok', Promise.all([sleep(40, 'a'), 'b', Promise.resolve('c')]));
await show('all fails', Promise.all([sleep(40, 'a'), fail(10, 'first failure'), fail(80, 'second failure')]));
await show('race', Promise.race([sleep(60, 'slow'), sleep(10, 'fast')]));
await show('race rejects', Promise.race([sleep(60, 'slow'), fail(10, 'fast failure')]));
await show('any', Promise.any([fail(10, 'x'), sleep(50, 'first fulfilled'), sleep(100, 'later')]));
await show('any all fail', Promise.any([fail(10, 'e1'), fail(40, 'e2'), Promise.reject(new Error('e0'))]));
await show('allSettled', Promise.allSettled([sleep(10, 1), fail(40, 'no'), 3]).then((r) => r.map((x) => x.status + ':' + (x.value ?? x.reason.message))));
await show('empty all', Promise.all([]));
await show('empty any', Promise.any([]));
await show('empty race forever?', Promise.race([Promise.race([]), sleep(30, 'race([]) never settles')]));
