// Imports used only as types are elided, so types.ts never runs.
import { Options, Mode } from './types';
import type { Options as O2 } from './types';
const opts: Options & O2 = { verbose: true };
const mode: Mode = 'a';
(async () => { await null; console.log('main', opts.verbose, mode); })();
