function tick() {
  throw new Error('thrown inside a timer callback');
}
setTimeout(tick, 5);
