// What to do about a blocking stretch, in one sentence, picked by its cause: the one place the
// advice is written (the blocking hint and CI's fix line both say this).

export interface BlockingCause {
  /** The hottest function of the script's code during the stretch. */
  function: string;
  /** The function the time went into when that was not the script's code (node_modules, Node, V8), or null. */
  inside: string | null;
  /** Held by a chain of awaits that never waited (await-chain.ts). */
  awaitChain: boolean;
  /** Node setting itself up (its own modules, its WebAssembly), once per process. */
  nodeSetup: boolean;
}

const SYNC_CALL = /^(\w+Sync)$/;
const CRYPTO = /\b(pbkdf2|scrypt|randomBytes|generateKeyPair|hash|digest)/i;
const COMPRESSION = /\b(deflate|inflate|gzip|gunzip|brotli)/i;

/**
 * The stretch went into a call that has an asynchronous form of its own (a *Sync call,
 * cryptography, compression): the fix is that form, not moving the work to a worker thread.
 */
export function hasAsyncForm(cause: Pick<BlockingCause, 'function' | 'inside'>): boolean {
  const inside = cause.inside ?? '';
  return SYNC_CALL.test(inside) || SYNC_CALL.test(cause.function) || CRYPTO.test(inside) || COMPRESSION.test(inside);
}

export function blockingAdvice(cause: BlockingCause): string {
  if (cause.awaitChain) {
    return 'yield to the loop now and then (await setImmediate() every few thousand steps), or make the functions that never wait plain functions';
  }
  if (cause.nodeSetup) {
    return 'this is Node setting itself up (compiling one of its built-in modules or its WebAssembly), once per process: nothing to change in your code; warm it up at start-up if the first call must be fast';
  }
  const inside = cause.inside ?? '';
  const syncCall = SYNC_CALL.exec(inside) ?? SYNC_CALL.exec(cause.function);
  if (syncCall) return `${syncCall[1]} blocks until the operating system answers: use its promise-based form (without "Sync") and await it`;
  if (/^(parse|stringify)$/.test(inside) || /JSON/.test(inside)) {
    return 'large JSON is parsed or serialised in one go: shrink it, stream it, or do it in a worker thread';
  }
  if (CRYPTO.test(inside)) {
    return 'cryptography on the main thread: use the asynchronous (callback or promise) variant, which runs on the thread pool';
  }
  if (COMPRESSION.test(inside)) return 'compression on the main thread: use the asynchronous zlib API';
  if (/^(exec|replace|match|test|split)$/.test(inside) || /RegExp/.test(inside)) {
    return 'a regular expression takes long on this input: simplify it or bound the input';
  }
  return 'split the work into chunks that yield (await setImmediate / scheduler.yield) or move it to a worker thread';
}
