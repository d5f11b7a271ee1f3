const events = ['exit', 'SIGINT', 'uncaughtException', 'unhandledRejection', 'beforeExit'];
console.log(events.map((e) => `${e}=${process.listenerCount(e)}`).join(' '));
await null;
console.log(process.eventNames().map(String).sort());
