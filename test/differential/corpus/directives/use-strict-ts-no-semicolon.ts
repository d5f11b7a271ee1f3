'use strict'
async function main(): Promise<string> {
  await new Promise<void>((resolve) => setTimeout(resolve, 1));
  return (function (this: unknown) { return typeof this; })();
}
main().then((t) => console.log('this:', t));
