import { type Shape } from './side.ts';
import type { Shape as S2 } from './side.ts';
const s: Shape & S2 = { kind: 'kept import, type dropped' };
console.log(await Promise.resolve(s.kind));
