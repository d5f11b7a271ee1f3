// No package.json anywhere above: Node decides from the syntax (import) that this is an ES module.
import { basename } from 'node:path';
const value = await Promise.resolve('top-level await in a .js ES module');
console.log(value, basename(import.meta.url), typeof require);
