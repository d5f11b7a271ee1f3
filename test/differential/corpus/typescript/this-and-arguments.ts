class Timer {
  ticks = 0;
  start(times: number): Promise<number> {
    const step = async (): Promise<number> => {
      await null;
      this.ticks++;
      return this.ticks < times ? step() : this.ticks;
    };
    return step();
  }
}
async function variadic(this: unknown, ...rest: number[]): Promise<string> {
  await null;
  // eslint-disable-next-line prefer-rest-params
  return `${arguments.length} ${rest.join('+')} ${typeof this}`;
}
(async () => {
  console.log(await new Timer().start(3), await variadic(1, 2, 3), await variadic.call('ctx', 4));
})();
