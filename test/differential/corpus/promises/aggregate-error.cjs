const e = new AggregateError([new Error('one'), new TypeError('two')], 'several things failed', { cause: 'root cause' });
console.log(e.name, e.message, e.errors.length, e.cause, e instanceof Error);
Promise.any([Promise.reject(new RangeError('r')), Promise.reject('string reason')]).catch((err) => {
  console.log(err.constructor.name, JSON.stringify(err.message), err.errors.map(String));
});
