// getActiveResourcesInfo lists what keeps the loop alive: the profiler's own handles would show.
const show = (label) => console.log(label, process.getActiveResourcesInfo().sort().join(','));
show('start');
const t = setTimeout(() => {}, 20);
show('with a timer');
setImmediate(() => {
  show('in immediate');
  clearTimeout(t);
  setTimeout(() => show('after clearing'), 5);
});
