// Own keys of the objects a profiler is most tempted to mark: additions show by name.
console.log(Reflect.ownKeys(Promise.prototype).map(String).sort());
console.log(Reflect.ownKeys(Function.prototype).map(String).sort());
console.log(Reflect.ownKeys(process).filter((k) => typeof k === 'symbol').map(String).sort());
