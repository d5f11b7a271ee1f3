const ok = 1;
await Promise.resolve(ok);
export default function (a, a) {}
