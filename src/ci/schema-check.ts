// Checks a JSON document against one of the JSON Schemas the package ships (schema/), with ajv,
// and words the first problem for people: where it is ("budgets.maxBlocking.level") and what is
// wrong, in the words of the command line's own errors ("must be at least 1", "is not a known
// setting (did you mean "maxLagP99"?)"), never ajv's ("must NOT have additional properties").
import { createRequire } from 'node:module';
import type { Ajv2020 as Ajv2020Class, ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';

/** ajv is loaded at the first check, not with the CLI: only `ci` needs it. */
function loadAjv(): typeof Ajv2020Class {
  return (createRequire(import.meta.url)('ajv/dist/2020.js') as { Ajv2020: typeof Ajv2020Class }).Ajv2020;
}

export type SchemaCheck = (value: unknown) => string | null;

/**
 * Compiles once; returns a check that gives null (valid) or "<where> <what>" for the first problem.
 * `allErrors` finds the most telling problem in a small document (a config); a large one (a
 * baseline of 200,000 runs) stops at the first.
 */
export function schemaCheck(schema: object, options: { allErrors?: boolean } = {}): SchemaCheck {
  let compiled: ValidateFunction | null = null;
  return (value) => {
    // Compiled at the first check: commands that never read a config do not pay for it.
    const validate = (compiled ??= new (loadAjv())({ allErrors: options.allErrors ?? true, verbose: true, allowUnionTypes: true }).compile(schema));
    if (validate(value)) return null;
    return describe(validate.errors ?? []);
  };
}

function segments(pointer: string): string[] {
  return pointer === '' ? [] : pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** "budgets.maxBlocking.level", "scripts[0].args[1]", 'scripts["samples/a.ts"].runs'. */
function where(parts: string[]): string {
  let out = '';
  for (const part of parts) {
    if (/^\d+$/.test(part)) out += `[${part}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(part)) out += out === '' ? part : `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}

const TYPE_WORDS: Record<string, string> = {
  number: 'a number',
  integer: 'a whole number',
  string: 'a string',
  array: 'an array',
  object: 'an object',
  boolean: 'true or false',
  null: 'null',
};

function typeWords(types: string[]): string {
  const words = [...new Set(types.map((t) => TYPE_WORDS[t] ?? t))];
  return words.length <= 2 ? words.join(' or ') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
}

function known(error: ErrorObject): string[] {
  const properties = (error.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties;
  return properties ? Object.keys(properties).filter((k) => k !== '$schema') : [];
}

function message(error: ErrorObject, sameSpot: ErrorObject[]): { path: string[]; text: string } {
  const path = segments(error.instancePath);
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(p.additionalProperty);
      const names = known(error);
      const near = names.find((n) => n.toLowerCase() === key.toLowerCase());
      const hint = near ? ` (did you mean "${near}"?)` : names.length > 0 ? ` (known: ${names.join(', ')})` : '';
      return { path: [...path, key], text: `is not a known setting${hint}` };
    }
    case 'type': {
      const types = sameSpot.filter((e) => e.keyword === 'type').flatMap((e) => [(e.params as { type: string | string[] }).type].flat());
      return { path, text: `must be ${typeWords(types)}` };
    }
    case 'minimum':
      return { path, text: `must be at least ${String(p.limit)}` };
    case 'exclusiveMinimum':
      return { path, text: `must be greater than ${String(p.limit)}` };
    case 'maximum':
      return { path, text: `must be at most ${String(p.limit)}` };
    case 'exclusiveMaximum':
      return { path, text: `must be less than ${String(p.limit)}` };
    case 'enum':
      return { path, text: `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` };
    case 'const':
      return { path, text: `must be ${JSON.stringify(p.allowedValue)}` };
    case 'required':
      return { path, text: `needs "${String(p.missingProperty)}"` };
    case 'minLength':
    case 'minItems':
      return { path, text: 'must not be empty' };
    case 'uniqueItems':
      return { path, text: 'lists the same item twice' };
    default:
      return { path, text: error.message ?? `fails "${error.keyword}"` };
  }
}

/**
 * The problem deepest in the document is the one to tell: where a value may be a number or an
 * object (a budget), the object's own bad field says more than "does not match oneOf".
 */
function describe(errors: ErrorObject[]): string {
  const depth = (e: ErrorObject) => segments(e.instancePath).length + (e.keyword === 'additionalProperties' || e.keyword === 'required' ? 1 : 0);
  let deepest = 0;
  for (const e of errors) deepest = Math.max(deepest, depth(e));
  const candidates = errors.filter((e) => depth(e) === deepest && e.keyword !== 'oneOf' && e.keyword !== 'anyOf');
  const chosen = candidates.find((e) => e.keyword !== 'type') ?? candidates[0] ?? errors[0]!;
  const { path, text } = message(
    chosen,
    errors.filter((e) => e.instancePath === chosen.instancePath),
  );
  const at = where(path);
  return at === '' ? text : `${at} ${text}`;
}
