// The name of an HTTP request a server answered, for grouping a run's requests into a few rows:
// the method and the route pattern the framework matched (express leaves it on the request), else
// the path without its query, with the segments that name one item among many (numbers, uuids,
// long hex ids) collapsed, so that /users/1 ... /users/100000 are one route. The number of names
// is capped: a server that sees every path once (a scanner, a static site) makes a bounded trace.
// Read after the response finished, so nothing here runs while the program's handler does.
import { primordials } from './primordials.js';

/** Distinct names kept; later new ones are all "<METHOD> (other routes)". */
export const MAX_ROUTE_NAMES = 200;
const MAX_PATH_CHARS = 120;
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'CONNECT', 'TRACE']);
const NUMBER = /^\d+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HEX_ID = /^(?=.*\d)[0-9a-f]{16,}$/i;

/**
 * An own data property's value: a getter of the program's is never run (it could count its calls,
 * or throw), and what Node and express set on a request are plain properties.
 */
function own(target: unknown, key: string): unknown {
  // (a proxy's traps are the program's code too)
  if (typeof target !== 'object' || target === null || primordials.isProxy(target)) return undefined;
  const descriptor = primordials.getOwnPropertyDescriptor(target, key);
  return descriptor !== undefined && 'value' in descriptor ? descriptor.value : undefined;
}

/** What the request says of its route, as text; never throws and runs none of the program's code. */
export function routeName(request: object): string {
  let method = 'OTHER';
  let path = '';
  try {
    const verb = own(request, 'method');
    if (typeof verb === 'string' && METHODS.has(verb)) method = verb;
    const pattern = own(own(request, 'route'), 'path');
    if (typeof pattern === 'string') {
      const base = own(request, 'baseUrl');
      path = (typeof base === 'string' ? base : '') + pattern;
    } else {
      const original = own(request, 'originalUrl');
      const url = own(request, 'url');
      path = collapsedPath(typeof original === 'string' ? original : typeof url === 'string' ? url : '');
    }
  } catch {
    path = '';
  }
  if (path.length > MAX_PATH_CHARS) path = `${path.slice(0, MAX_PATH_CHARS)}…`;
  return `${method} ${path || '/'}`;
}

function collapsedPath(url: string): string {
  let end = url.length;
  const query = url.indexOf('?');
  if (query >= 0) end = query;
  const hash = url.indexOf('#');
  if (hash >= 0 && hash < end) end = hash;
  // An absolute URL (a proxy request) keeps its path only.
  let path = url.slice(0, end);
  const scheme = path.indexOf('://');
  if (scheme >= 0) {
    const slash = path.indexOf('/', scheme + 3);
    path = slash >= 0 ? path.slice(slash) : '/';
  }
  return path
    .split('/')
    .map((segment) => (NUMBER.test(segment) ? ':n' : UUID.test(segment) ? ':uuid' : HEX_ID.test(segment) ? ':id' : segment))
    .join('/');
}

/** Route ids by name, announcing each new name once (announce writes the Routes record). */
export class RouteTable {
  private readonly ids = new Map<string, number>();

  constructor(private readonly announce: (firstId: number, names: string[]) => void) {}

  idOf(name: string): number {
    let id = this.ids.get(name);
    if (id !== undefined) return id;
    if (this.ids.size >= MAX_ROUTE_NAMES) {
      const other = `${name.slice(0, name.indexOf(' '))} (other routes)`;
      id = this.ids.get(other);
      if (id !== undefined) return id;
      name = other;
    }
    id = this.ids.size + 1;
    this.ids.set(name, id);
    this.announce(id, [name]);
    return id;
  }
}
