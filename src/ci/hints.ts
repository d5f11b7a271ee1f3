// One-line advice for a blocking stretch, from what was on the CPU. Deliberately short: the
// line it points at says more than any rule of thumb.
import type { BlockingSite } from './metrics.js';

export function fixHint(site: Pick<BlockingSite, 'function' | 'inside'>): string {
  const inside = site.inside ?? '';
  const syncCall = /^(\w+Sync)\b/.exec(inside) ?? /^(\w+Sync)$/.exec(site.function);
  if (syncCall) return `${syncCall[1]} blocks until the operating system answers: use its promise-based form (without "Sync") and await it`;
  if (/^(parse|stringify) \(/.test(inside) || /JSON/.test(inside)) {
    return 'large JSON is parsed or serialised in one go: shrink it, stream it, or do it in a worker thread';
  }
  if (/\b(pbkdf2|scrypt|randomBytes|generateKeyPair|hash|digest)/i.test(inside)) {
    return 'cryptography on the main thread: use the asynchronous (callback or promise) variant, which runs on the thread pool';
  }
  if (/\b(deflate|inflate|gzip|gunzip|brotli)/i.test(inside)) return 'compression on the main thread: use the asynchronous zlib API';
  if (/\b(exec|replace|match|test|split) \(/.test(inside) || /RegExp/.test(inside)) {
    return 'a regular expression takes long on this input: simplify it or bound the input';
  }
  return 'split the work into chunks that yield (await setImmediate / scheduler.yield) or move it to a worker thread';
}
