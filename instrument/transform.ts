// Load-time source transform. Records, with no per-promise cost, what the runtime needs:
// where each async function starts and ends, and where it waits.
//
// TypeScript is first stripped by sucrase, which keeps every line where it was, so every line
// number written into the code below is a line of the original source and no source map is
// needed. Insertions never add a newline, for the same reason.
import { createRequire } from 'node:module';
import { FUNCTION_KINDS, RUNTIME_GLOBAL } from '../contract/index.js';

const require = createRequire(import.meta.url);
type AcornModule = typeof import('acorn');
type SucraseModule = typeof import('sucrase');
let acorn: AcornModule | undefined;
let sucrase: SucraseModule | undefined;

// Loose ESTree shape: enough for a generic walk.
interface Node {
  type: string;
  start: number;
  end: number;
  loc: { start: { line: number }; end: { line: number } };
  [key: string]: unknown;
}

export type ModuleFormat = 'module' | 'commonjs';

export interface TransformResult {
  code: string;
  format: ModuleFormat;
  /** Number of async functions instrumented. */
  tasks: number;
}

const G = RUNTIME_GLOBAL;
const T = '__ap_t';
const O = '__ap_o';
const F = '__ap_F';

export function isTypeScript(file: string): boolean {
  return /\.(c|m)?tsx?$/.test(file);
}

export function stripTypes(source: string, file: string, toCommonJs = false): string {
  sucrase ??= require('sucrase') as SucraseModule;
  const transforms: ('typescript' | 'jsx' | 'imports')[] = ['typescript'];
  if (file.endsWith('x')) transforms.push('jsx');
  if (toCommonJs) transforms.push('imports');
  return sucrase.transform(source, {
    transforms,
    disableESTransforms: true,
    filePath: file,
  }).code;
}

function parse(code: string, sourceType: 'module' | 'script'): Node {
  acorn ??= require('acorn') as AcornModule;
  return acorn.parse(code, {
    ecmaVersion: 'latest',
    sourceType,
    allowHashBang: true,
    allowAwaitOutsideFunction: true,
    allowReturnOutsideFunction: sourceType === 'script',
    allowImportExportEverywhere: false,
    preserveParens: true,
    locations: true,
  }) as unknown as Node;
}

interface Insertion {
  pos: number;
  /** Closers go before openers at one position; then outer openers first, inner closers first. */
  closer: boolean;
  rank: number;
  text: string;
}

interface FunctionScope {
  node: Node;
  /** Index in the module's function table, or -1 when not an async function. */
  index: number;
  generator: boolean;
}

/**
 * Transforms one file of user code. `declaredFormat` is what the extension or package.json
 * says; undefined means "decide from the syntax" (Node's own rule for ambiguous files).
 */
export function transformSource(
  source: string,
  file: string,
  declaredFormat: ModuleFormat | undefined,
  instrument = true,
): TransformResult {
  let js = isTypeScript(file) ? stripTypes(source, file) : source;
  let ast: Node;
  let parsedAs: 'module' | 'script' = declaredFormat === 'commonjs' ? 'script' : 'module';
  try {
    ast = parse(js, parsedAs);
  } catch (error) {
    if (parsedAs === 'script') {
      // TypeScript written with import/export in a CommonJS package: compile the imports to
      // require(), as tsc and tsx do there.
      if (!isTypeScript(file)) throw error;
      js = stripTypes(source, file, true);
      ast = parse(js, 'script');
    } else {
      // Sloppy-mode CommonJS (with, octal literals...) is not valid module code.
      parsedAs = 'script';
      ast = parse(js, 'script');
    }
  }
  const w = new Walker(js);
  w.walk(ast);
  const format: ModuleFormat = declaredFormat ?? (parsedAs === 'module' && w.moduleSyntax ? 'module' : 'commonjs');
  if (!instrument) return { code: js, format, tasks: 0 };

  const table = JSON.stringify(w.functions);
  const ranges = JSON.stringify(w.ranges);
  const prelude = `var ${F}=${G}.fns(${JSON.stringify(file)},${table},${ranges});`;
  w.add(preludePosition(js, ast), false, prelude);
  return { code: w.apply(), format, tasks: w.functions.length / 3 };
}

/** After a hashbang line and the directive prologue, so "use strict" stays a directive. */
function preludePosition(js: string, program: Node): number {
  const body = program.body as Node[];
  let pos = 0;
  for (const statement of body) {
    if (statement.type === 'ExpressionStatement' && typeof statement.directive === 'string') pos = statement.end;
    else break;
  }
  if (pos === 0 && js.startsWith('#!')) {
    const eol = js.indexOf('\n');
    pos = eol === -1 ? js.length : eol + 1;
  }
  return pos;
}

class Walker {
  readonly functions: (string | number)[] = [];
  readonly ranges: number[] = [];
  moduleSyntax = false;
  private readonly insertions: Insertion[] = [];
  private rank = 0;
  private readonly ancestors: Node[] = [];
  private scope: FunctionScope | null = null;

  constructor(private readonly code: string) {}

  add(pos: number, closer: boolean, text: string): void {
    const rank = ++this.rank;
    this.insertions.push({ pos, closer, rank: closer ? -rank : rank, text });
  }

  apply(): string {
    const sorted = this.insertions.sort((a, b) => a.pos - b.pos || Number(b.closer) - Number(a.closer) || a.rank - b.rank);
    let out = '';
    let at = 0;
    for (const ins of sorted) {
      out += this.code.slice(at, ins.pos) + ins.text;
      at = ins.pos;
    }
    return out + this.code.slice(at);
  }

  walk(node: Node): void {
    const enclosing = this.scope;
    const isFunction = node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression';
    if (isFunction) this.enterFunction(node);
    else this.visit(node);

    this.ancestors.push(node);
    for (const key in node) {
      if (key === 'loc' || key === 'start' || key === 'end' || key === 'type') continue;
      const value = node[key];
      if (Array.isArray(value)) {
        for (const child of value) if (child && typeof (child as Node).type === 'string') this.walk(child as Node);
      } else if (value && typeof (value as Node).type === 'string') {
        this.walk(value as Node);
      }
    }
    this.ancestors.pop();
    if (isFunction) this.scope = enclosing;
  }

  private enterFunction(fn: Node): void {
    this.ranges.push(fn.loc.start.line, fn.loc.end.line);
    if (!fn.async) {
      this.scope = { node: fn, index: -1, generator: Boolean(fn.generator) };
      return;
    }
    const index = this.functions.length / 3;
    const { name, line, kind } = this.describe(fn);
    this.functions.push(name, line, FUNCTION_KINDS.indexOf(kind));
    this.scope = { node: fn, index, generator: Boolean(fn.generator) };

    const enter = `const ${T}=${G}.e(${F}+${index});let ${O}=1;try{`;
    const leave = `}catch(__ap_e){${O}=2;throw __ap_e}finally{${G}.x(${T},${O})}`;
    const body = fn.body as Node;
    if (body.type === 'BlockStatement') {
      let pos = body.start + 1;
      for (const statement of body.body as Node[]) {
        if (statement.type === 'ExpressionStatement' && typeof statement.directive === 'string') pos = statement.end;
        else break;
      }
      // An empty body gets both halves at one position, in this order.
      if (pos === body.end - 1) this.add(pos, false, enter + leave);
      else {
        this.add(pos, false, enter);
        this.add(body.end - 1, true, leave);
      }
    } else {
      if (mayBePromise(body)) {
        this.add(body.start, false, `{${enter}return ${G}.rv(${T},${body.loc.start.line},`);
        this.add(body.end, true, `)${leave}}`);
      } else {
        this.add(body.start, false, `{${enter}return `);
        this.add(body.end, true, `;${leave}}`);
      }
    }
  }

  /** Instruments the nodes that suspend or resume the enclosing async function. */
  private visit(node: Node): void {
    switch (node.type) {
      case 'ImportDeclaration':
      case 'ExportNamedDeclaration':
      case 'ExportDefaultDeclaration':
      case 'ExportAllDeclaration':
        this.moduleSyntax = true;
        return;
      case 'MetaProperty':
        if ((node.meta as Node).name === 'import') this.moduleSyntax = true;
        return;
    }
    const scope = this.scope;
    if (scope === null) {
      // Top-level await makes a file an ES module (Node's own detection rule).
      if (node.type === 'AwaitExpression' || (node.type === 'ForOfStatement' && node.await)) this.moduleSyntax = true;
      return;
    }
    if (scope.index < 0) return;
    const line = node.loc.start.line;
    switch (node.type) {
      case 'AwaitExpression': {
        const argument = node.argument as Node;
        this.add(node.start, false, `${G}.r(${T},`);
        this.add(argument.start, false, `${G}.s(${T},${line},`);
        this.add(argument.end, true, `))`);
        break;
      }
      case 'YieldExpression': {
        if (!scope.generator) break;
        const argument = node.argument as Node | null;
        this.add(node.start, false, `${G}.r(${T},`);
        if (argument) {
          this.add(argument.start, false, `${G}.s(${T},${line},`);
          this.add(argument.end, true, `))`);
        } else {
          this.add(node.end, true, ` ${G}.s(${T},${line},void 0))`);
        }
        break;
      }
      case 'ForOfStatement': {
        if (!node.await) break;
        const right = node.right as Node;
        this.add(right.start, false, `${G}.fa(${T},${line},`);
        this.add(right.end, true, `)`);
        const body = node.body as Node;
        if (body.type === 'BlockStatement') {
          this.add(body.start + 1, false, `${G}.rc(${T});`);
        } else {
          this.add(body.start, false, `{${G}.rc(${T});`);
          this.add(body.end, true, `}`);
        }
        // The task resumes when the loop ends; a block keeps `if (...) for await ... else` valid.
        let statement = node;
        for (let i = this.ancestors.length - 1; i >= 0 && this.ancestors[i]!.type === 'LabeledStatement'; i--) {
          statement = this.ancestors[i]!;
        }
        this.add(statement.start, false, `{`);
        this.add(statement.end, true, `${G}.rc(${T});}`);
        break;
      }
      case 'CatchClause':
        this.add((node.body as Node).start + 1, false, `${G}.rc(${T});`);
        break;
      case 'TryStatement': {
        const finalizer = node.finalizer as Node | null;
        if (finalizer) this.add(finalizer.start + 1, false, `${G}.rc(${T});`);
        break;
      }
      case 'ReturnStatement': {
        const argument = node.argument as Node | null;
        if (argument && !scope.generator && mayBePromise(argument)) {
          this.add(argument.start, false, `${G}.rv(${T},${line},`);
          this.add(argument.end, true, `)`);
        }
        break;
      }
    }
  }

  /** The name a reader would use for this function, from where it is defined. */
  private describe(fn: Node): { name: string; line: number; kind: (typeof FUNCTION_KINDS)[number] } {
    const kind = fn.generator ? 'generator' : fn.type === 'ArrowFunctionExpression' ? 'arrow' : 'function';
    let i = this.ancestors.length - 1;
    while (i >= 0 && this.ancestors[i]!.type === 'ParenthesizedExpression') i--;
    const parent = this.ancestors[i];
    const own = (fn.id as Node | null)?.name as string | undefined;
    const line = fn.loc.start.line;
    if (!parent) return { name: own ?? '<anonymous>', line, kind };
    switch (parent.type) {
      case 'MethodDefinition':
      case 'PropertyDefinition': {
        const cls = this.ancestors[i - 2];
        return { name: `${className(cls, this.ancestors[i - 3])}.${keyName(parent)}`, line: parent.loc.start.line, kind: fn.generator ? 'generator' : 'method' };
      }
      case 'Property':
        if (parent.value === fn || (parent.value as Node)?.type === 'ParenthesizedExpression') {
          return { name: own ?? keyName(parent), line: parent.method ? parent.loc.start.line : line, kind: parent.method ? (fn.generator ? 'generator' : 'method') : kind };
        }
        break;
      case 'VariableDeclarator':
        if ((parent.id as Node).type === 'Identifier') return { name: own ?? ((parent.id as Node).name as string), line, kind };
        break;
      case 'AssignmentExpression':
      case 'AssignmentPattern': {
        const left = parent.left as Node;
        if (left.type === 'Identifier') return { name: own ?? (left.name as string), line, kind };
        if (left.type === 'MemberExpression' && !left.computed) return { name: own ?? ((left.property as Node).name as string), line, kind };
        break;
      }
      case 'ExportDefaultDeclaration':
        return { name: own ?? 'default', line, kind };
    }
    return { name: own ?? '<anonymous>', line, kind };
  }
}

/** False for expressions that can never evaluate to a promise: no need to watch the return. */
function mayBePromise(node: Node): boolean {
  switch (node.type) {
    case 'Literal':
    case 'TemplateLiteral':
    case 'ArrayExpression':
    case 'ObjectExpression':
    case 'BinaryExpression':
    case 'UpdateExpression':
    case 'UnaryExpression':
    case 'AwaitExpression':
    case 'ArrowFunctionExpression':
    case 'FunctionExpression':
    case 'ClassExpression':
      return false;
    case 'ParenthesizedExpression':
      return mayBePromise(node.expression as Node);
    case 'LogicalExpression':
    case 'ConditionalExpression':
      return node.type === 'LogicalExpression'
        ? mayBePromise(node.left as Node) || mayBePromise(node.right as Node)
        : mayBePromise(node.consequent as Node) || mayBePromise(node.alternate as Node);
    default:
      return true;
  }
}

function keyName(member: Node): string {
  const key = member.key as Node;
  if (member.computed) return key.type === 'Literal' ? String(key.value) : '<computed>';
  if (key.type === 'Identifier') return key.name as string;
  if (key.type === 'PrivateIdentifier') return `#${key.name as string}`;
  if (key.type === 'Literal') return String(key.value);
  return '<computed>';
}

function className(cls: Node | undefined, parent: Node | undefined): string {
  const id = cls?.id as Node | null | undefined;
  if (id?.name) return id.name as string;
  if (parent?.type === 'VariableDeclarator' && (parent.id as Node).type === 'Identifier') return (parent.id as Node).name as string;
  if (parent?.type === 'ExportDefaultDeclaration') return 'default';
  return '<anonymous>';
}
