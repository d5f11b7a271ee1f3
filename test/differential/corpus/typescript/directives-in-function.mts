function sloppyHelper(): string {
  'use strict'
  return typeof (function (this: unknown) { return this; })();
}
const f = async (): Promise<string> => {
  'use strict'
  await null;
  return sloppyHelper();
};
console.log(await f());
