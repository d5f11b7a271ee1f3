declare global {
  var appName: string;
}
declare module 'node:os' {
  export function imaginary(): void;
}
declare const declaredOnly: number;
declare function declaredFn(): void;
globalThis.appName = 'declared global';
(async () => {
  await null;
  console.log(globalThis.appName, typeof (globalThis as any).declaredOnly);
})();
export {};
