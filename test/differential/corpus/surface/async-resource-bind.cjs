const { AsyncResource, executionAsyncId, triggerAsyncId } = require('node:async_hooks');
console.log('top level ids', executionAsyncId(), triggerAsyncId());
const bound = AsyncResource.bind(function named() { return this === undefined ? 'no this' : typeof this; });
console.log(bound.name, bound.length, bound());
class Job extends AsyncResource {
  constructor() { super('Job'); }
  run(fn) { return this.runInAsyncScope(fn, null, 'arg'); }
}
const job = new Job();
console.log(job.run((a) => 'ran with ' + a), job.type ?? 'no type field');
