// node load-entry.mjs <package> <import|require>
//
// Loads a package's entry the way an application would and prints what it exports: every key
// with its type (functions and classes with their name and length), sorted, so that two runs can
// be compared byte for byte. Then one line per exported function with a hash of its source text
// (Function.prototype.toString), which dependency-injection containers and some serialisers read.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';

const [name, mode] = process.argv.slice(2);
if (!name || (mode !== 'import' && mode !== 'require')) {
  console.error('usage: node load-entry.mjs <package> <import|require>');
  process.exit(2);
}

const exportsLines = [];
const sourceLines = [];

function describe(path, value) {
  const type = typeof value;
  if (type === 'function') {
    exportsLines.push(`export ${path} function name=${JSON.stringify(value.name)} length=${value.length}`);
    const text = Function.prototype.toString.call(value);
    sourceLines.push(`source ${path} ${createHash('sha1').update(text).digest('hex').slice(0, 12)} ${text.length}`);
  } else if (value === null) {
    exportsLines.push(`export ${path} null`);
  } else {
    exportsLines.push(`export ${path} ${type}`);
  }
}

/** A property read can run a getter (lazy sub-modules): a throw is part of what it exports. */
function read(object, key) {
  try {
    return { value: object[key] };
  } catch (error) {
    return { error: `${error?.name}: ${error?.message}` };
  }
}

function describeMembers(prefix, object) {
  for (const key of Object.keys(object).sort()) {
    const got = read(object, key);
    if ('error' in got) exportsLines.push(`export ${prefix}${key} throws ${got.error}`);
    else describe(`${prefix}${key}`, got.value);
  }
}

if (mode === 'import') {
  const namespace = await import(name);
  describeMembers('', namespace);
  const fallback = namespace.default;
  if (fallback !== null && (typeof fallback === 'object' || typeof fallback === 'function')) describeMembers('default.', fallback);
} else {
  const require = createRequire(`${process.cwd()}/`);
  const loaded = require(name);
  describe('module.exports', loaded);
  if (loaded !== null && (typeof loaded === 'object' || typeof loaded === 'function')) describeMembers('module.exports.', loaded);
}

process.stdout.write(`${name} (${mode})\n${exportsLines.join('\n')}\n${sourceLines.join('\n')}\n`);
