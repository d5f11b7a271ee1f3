const events = ['exit', 'SIGINT', 'SIGTERM', 'uncaughtException', 'unhandledRejection', 'beforeExit', 'warning', 'message', 'newListener'];
console.log(events.map((e) => `${e}=${process.listenerCount(e)}`).join(' '));
console.log(events.map((e) => `${e}=${process.listeners(e).length}`).join(' '));
console.log(process.eventNames().map(String).sort());
(async () => {
  await new Promise((r) => setTimeout(r, 5));
  console.log('later', events.map((e) => process.listenerCount(e)).join(','));
})();
