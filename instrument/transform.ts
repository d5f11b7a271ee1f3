// Load-time instrumentation of JavaScript: records, with no per-promise cost, where each async
// function starts and ends and where it waits.
//
// The input is what Node would run: a JavaScript file as it is on disk, or the code tsx compiled
// from TypeScript (with its inline source map). The transform only inserts text, never removes
// or moves any, and never adds a line: every line and every stretch of original text stays where
// it was, so the program's own code runs as written and the few places that can see positions
// (stack traces, Function.prototype.toString) can be given back the original ones
// (instrument/fidelity/). What was inserted, and where, is returned with the code.
import { FUNCTION_KINDS, RUNTIME_GLOBAL } from '../contract/index.js';
import { decode, type SourceMapMappings } from '@jridgewell/sourcemap-codec';
import { parse as acornParse } from 'acorn';
import { movedMapComment, originalLine, readInlineMap, type RawSourceMap } from './source-map.js';


// Loose ESTree shape: enough for a generic walk.
interface Node {
  type: string;
  start: number;
  end: number;
  loc: { start: { line: number; column: number }; end: { line: number; column: number } };
  [key: string]: unknown;
}

export type SourceType = 'module' | 'script';

export interface TransformOptions {
  /** Absolute path of the file: it names the module in the trace. */
  file: string;
  /** How Node will compile the code; 'detect': as a script if it parses as one, else a module. */
  sourceType: SourceType | 'detect';
  /** Reserves `count` consecutive function ids and returns the first (ids are process-wide). */
  allocateIds(count: number): number;
  /** Appended as `import "<this>"` at the end of an ES module (time zero; see preload). */
  appendImport?: string;
  /**
   * The input's source map when it comes apart from the code (a Vite plugin gets it so); by
   * default the code's own inline map (tsx appends one) is read, and rewritten in the output.
   */
  inputMap?: RawSourceMap;
  /**
   * The script is a module wrapped in one function expression that its runner calls with the
   * module's bindings (vitest's and vite-node's `'use strict';async (...)=>{{ code }}`): that
   * function is the module's top level, not one of the program's functions, and is left alone.
   */
  moduleWrapper?: boolean;
}

/** The module's entry in the trace: its async functions, and the lines of every function. */
export interface ModuleTable {
  file: string;
  firstId: number;
  /** name, line, kind index, ... in one flat array (lines of the original source). */
  functions: (string | number)[];
  /** Start and end line of every function in the module, flat: for blocking attribution. */
  ranges: number[];
  /** For code compiled by tsx: generated line (index + 1) to original line, for profile frames. */
  lines?: number[];
}

export interface TransformResult {
  code: string;
  sourceType: SourceType;
  table: ModuleTable;
  /**
   * The inserted text, in the output: [output offset, length, ...] sorted. Removing these
   * ranges gives back the input exactly (Function.prototype.toString, fidelity/to-string.ts).
   */
  edits: number[];
  /**
   * Where text was inserted, in input coordinates: [line (1-based), column, length, ...] sorted,
   * for stack-trace columns of code that has no source map of its own (fidelity/stack-trace.ts).
   * Null when the output carries a source map that already accounts for them.
   */
  columns: number[] | null;
  /** Number of async functions instrumented. */
  tasks: number;
}

/** Code the transform cannot handle; the caller runs the input as it is and says why. */
export class TransformError extends Error {
  constructor(
    message: string,
    readonly line: number | null,
  ) {
    super(message);
  }
}

/** One line for the user: the file runs as it is, and why. */
export function describeFailure(file: string, error: unknown): string {
  if (error instanceof TransformError) {
    return `${file}${error.line !== null ? `:${error.line}` : ''} runs uninstrumented: ${error.message}`;
  }
  return `${file} runs uninstrumented: ${(error as Error)?.message ?? String(error)}`;
}

/** Code this transform already instrumented (a loader that hands it on to another). */
export function isInstrumented(code: string): boolean {
  return code.includes(`${RUNTIME_GLOBAL}.e(`);
}

const G = RUNTIME_GLOBAL;
const T = '__ap_t';
const O = '__ap_o';
const V = '__ap_v';

function parse(code: string, sourceType: SourceType): Node {
  return acornParse(code, {
    ecmaVersion: 'latest',
    sourceType,
    allowHashBang: true,
    allowAwaitOutsideFunction: sourceType === 'module',
    allowReturnOutsideFunction: sourceType === 'script',
    allowImportExportEverywhere: false,
    preserveParens: true,
    locations: true,
  }) as unknown as Node;
}

function parseAs(code: string, sourceType: SourceType | 'detect'): { ast: Node; sourceType: SourceType } {
  try {
    const type = sourceType === 'detect' ? 'script' : sourceType;
    return { ast: parse(code, type), sourceType: type };
  } catch (error) {
    if (sourceType === 'detect') {
      try {
        return { ast: parse(code, 'module'), sourceType: 'module' };
      } catch {
        // Report the script error: that is how Node tries it first.
      }
    }
    const loc = (error as { loc?: { line: number } }).loc;
    throw new TransformError(`cannot parse: ${(error as Error).message}`, loc?.line ?? null);
  }
}

interface Insertion {
  pos: number;
  /** Closers go before openers at one position; then outer openers first, inner closers first. */
  closer: boolean;
  rank: number;
  text: string;
}

interface FunctionScope {
  /** The function's id, or -1 when it is not an async function. */
  id: number;
  generator: boolean;
}

export function instrument(code: string, options: TransformOptions): TransformResult {
  const { ast, sourceType } = parseAs(code, options.sourceType);
  const inputMap = options.inputMap ? null : readInlineMap(code);
  const mappings = options.inputMap ? decode(options.inputMap.mappings) : (inputMap?.mappings ?? null);
  // tsx minifies its output (a few lines in all): only then is it broken into statements.
  const walker = new Walker(code, mappings, inputMap !== null, options.moduleWrapper ? wrapperOf(ast) : null);
  walker.walk(ast);
  walker.applyKeptNames();
  const count = walker.functions.length / 3;
  const firstId = count > 0 ? options.allocateIds(count) : 0;
  walker.resolveIds(firstId);

  let tail = '';
  if (sourceType === 'module' && options.appendImport) tail = `\nimport ${JSON.stringify(options.appendImport)};`;
  const applied = walker.apply(inputMap ? inputMap.commentStart : code.length);
  let out = applied.code;
  if (inputMap) {
    // The input's own map comment is replaced by one that accounts for the inserted text.
    out += (tail ? tail.slice(1) + '\n' : '') + movedMapComment(inputMap, applied.moved) + '\n';
  } else {
    out += tail;
  }
  const table: ModuleTable = { file: options.file, firstId, functions: walker.functions, ranges: walker.ranges };
  if (mappings) table.lines = lineTable(applied.code, applied.inputPosition, mappings);
  // A map given apart from the code describes the input: positions in the output are moved back
  // to the input's columns before anyone reads them through it.
  return { code: out, sourceType, table, edits: applied.edits, columns: inputMap ? null : applied.columns, tasks: count };
}

/** The function expression that is the whole script (after its directives), or null. */
function wrapperOf(program: Node): Node | null {
  const statements = (program.body as Node[]).filter((s) => !(s.type === 'ExpressionStatement' && typeof s.directive === 'string'));
  if (statements.length !== 1 || statements[0]!.type !== 'ExpressionStatement') return null;
  let expression = statements[0]!.expression as Node;
  while (expression.type === 'ParenthesizedExpression') expression = expression.expression as Node;
  return expression.type === 'FunctionExpression' || expression.type === 'ArrowFunctionExpression' ? expression : null;
}

/** For each line of the output, the original line its first character of input text comes from. */
function lineTable(output: string, inputPosition: (outputOffset: number) => [number, number], mappings: SourceMapMappings): number[] {
  return lineStartsOf(output).map((at) => {
    const [line, column] = inputPosition(at);
    return originalLine(mappings, line + 1, column) ?? 0;
  });
}

/** Where lines start, with every line terminator of the language (V8 counts lines so). */
function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 0x2028 || c === 0x2029) starts.push(i + 1);
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
  return starts;
}

/** The 0-based line holding `offset`, given the offsets at which lines start. */
function lineOf(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function isIdentifierChar(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 36 || code === 95 || code > 127;
}

class Walker {
  /** name, line, kind index per async function; ids assigned after the walk. */
  readonly functions: (string | number)[] = [];
  readonly ranges: number[] = [];
  private readonly insertions: Insertion[] = [];
  private rank = 0;
  private readonly ancestors: Node[] = [];
  private scope: FunctionScope | null = null;
  /** The declared name of each async function (index as in `functions`), and esbuild's keepNames calls. */
  private readonly declaredNames: (string | undefined)[] = [];
  private readonly keptNames = new Map<string, string>();
  /** Placeholders in insertion texts for function ids, known once the walk has counted them. */
  private readonly idSlots: { insertion: Insertion; index: number }[] = [];
  private lineStartsCache: number[] | null = null;
  /** Inside how many `with` statements the walk is. */
  private withDepth = 0;
  /** `with` is sloppy-mode only and rare: looked for only when the word is in the code. */
  private readonly mayHaveWith: boolean;

  constructor(
    private readonly code: string,
    private readonly mappings: SourceMapMappings | null,
    private readonly lineBreaks: boolean,
    /** The module wrapper (TransformOptions.moduleWrapper): walked as the top level, not entered. */
    private readonly wrapper: Node | null,
  ) {
    this.mayHaveWith = /\bwith\b/.test(code);
  }

  add(pos: number, closer: boolean, text: string): Insertion {
    const rank = ++this.rank;
    const insertion = { pos, closer, rank: closer ? -rank : rank, text };
    this.insertions.push(insertion);
    return insertion;
  }

  /**
   * esbuild's keepNames names declarations afterwards, `__name(lib_default, "default")`: a
   * default export without a name of its own is called "default" again.
   */
  applyKeptNames(): void {
    if (this.keptNames.size === 0) return;
    this.declaredNames.forEach((declared, index) => {
      const kept = declared === undefined ? undefined : this.keptNames.get(declared);
      if (kept !== undefined && this.functions[index * 3] === declared) this.functions[index * 3] = kept;
    });
  }

  resolveIds(firstId: number): void {
    for (const { insertion, index } of this.idSlots) insertion.text = insertion.text.replace('\0', String(firstId + index));
  }

  /** The original line of a position of the input. */
  private lineOf(node: Node): number {
    if (!this.mappings) return node.loc.start.line;
    return originalLine(this.mappings, node.loc.start.line, node.loc.start.column) ?? node.loc.start.line;
  }

  private lineEndOf(node: Node): number {
    if (!this.mappings) return node.loc.end.line;
    return originalLine(this.mappings, node.loc.end.line, Math.max(0, node.loc.end.column - 1)) ?? node.loc.end.line;
  }

  /**
   * Applies the insertions to the input up to `end`. A space keeps an inserted identifier apart
   * from a keyword or name it touches (`return(x)`, `await(x)`, `of[...]`).
   */
  apply(end: number): {
    code: string;
    edits: number[];
    columns: number[];
    /** Output line and column (0-based) of an input line and column. */
    moved: (line: number, column: number) => [number, number];
    /** Input line and column (0-based) of the input text at or after an output offset. */
    inputPosition: (outputOffset: number) => [number, number];
  } {
    const sorted = this.insertions.sort((a, b) => a.pos - b.pos || Number(b.closer) - Number(a.closer) || a.rank - b.rank);
    const code = this.code;
    const parts: string[] = [];
    const edits: number[] = [];
    const columns: number[] = [];
    /** Input offsets with insertions, and the text inserted up to and including each. */
    const offsets: number[] = [];
    const insertedUpTo: number[] = [];
    let inserted = 0;
    let at = 0;
    let outLength = 0;
    let i = 0;
    while (i < sorted.length) {
      const pos = sorted[i]!.pos;
      let text = '';
      for (; i < sorted.length && sorted[i]!.pos === pos; i++) text += sorted[i]!.text;
      const before = code.slice(at, pos);
      parts.push(before);
      outLength += before.length;
      if (pos > 0 && isIdentifierChar(code.charCodeAt(pos - 1)) && isIdentifierChar(text.charCodeAt(0))) text = ' ' + text;
      if (pos < code.length && isIdentifierChar(code.charCodeAt(pos)) && isIdentifierChar(text.charCodeAt(text.length - 1))) text += ' ';
      parts.push(text);
      edits.push(outLength, text.length);
      outLength += text.length;
      const { line, column } = this.position(pos);
      columns.push(line, column, text.length);
      inserted += text.length;
      offsets.push(pos);
      insertedUpTo.push(inserted);
      at = pos;
    }
    parts.push(code.slice(at, end));
    const output = parts.join('');
    const outStarts = lineStartsOf(output);
    const inStarts = this.lineStarts();
    /** Text inserted before the input character at `offset` (insertions at it go before it). */
    const insertedBefore = (offset: number) => {
      let lo = 0;
      let hi = offsets.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (offsets[mid]! <= offset) lo = mid + 1;
        else hi = mid;
      }
      return lo === 0 ? 0 : insertedUpTo[lo - 1]!;
    };
    const moved = (line: number, column: number): [number, number] => {
      const offset = (inStarts[line] ?? code.length) + column;
      const outOffset = offset + insertedBefore(offset);
      const outLine = lineOf(outStarts, outOffset);
      return [outLine, outOffset - outStarts[outLine]!];
    };
    const inputPosition = (outputOffset: number): [number, number] => {
      // The last insertion starting at or before the offset: inside it, go to its end.
      let lo = 0;
      let hi = edits.length / 2;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (edits[mid * 2]! <= outputOffset) lo = mid + 1;
        else hi = mid;
      }
      const j = lo - 1;
      let outOffset = outputOffset;
      if (j >= 0 && outOffset < edits[j * 2]! + edits[j * 2 + 1]!) outOffset = edits[j * 2]! + edits[j * 2 + 1]!;
      const offset = Math.min(code.length, outOffset - (j >= 0 ? insertedUpTo[j]! : 0));
      const line = lineOf(inStarts, offset);
      return [line, offset - inStarts[line]!];
    };
    return { code: output, edits, columns, moved, inputPosition };
  }

  private lineStarts(): number[] {
    this.lineStartsCache ??= lineStartsOf(this.code);
    return this.lineStartsCache;
  }

  private position(pos: number): { line: number; column: number } {
    const starts = this.lineStarts();
    const line = lineOf(starts, pos);
    return { line: line + 1, column: pos - starts[line]! };
  }

  walk(node: Node): void {
    const enclosing = this.scope;
    const isFunction = node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression';
    if (node.type === 'WithStatement') {
      // Every name looked up inside a `with` block is asked of its object first (a Proxy sees
      // them all): nothing inside one is instrumented, so the object sees only the program's.
      this.walk(node.object as Node);
      this.withDepth++;
      this.walk(node.body as Node);
      this.withDepth--;
      return;
    }
    if (isFunction) {
      if (node !== this.wrapper) this.enterFunction(node);
    } else {
      this.visit(node);
    }

    if (this.lineBreaks) this.breakStatements(node);
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

  /**
   * tsx hands over code minified to a few lines, and V8's profile says only on which line of it
   * each sample fell: one statement per line makes each line one line of the original again.
   * A line break before a statement never changes what the code means.
   */
  private breakStatements(node: Node): void {
    let statements: Node[] | null = null;
    if (node.type === 'Program' || node.type === 'BlockStatement' || node.type === 'StaticBlock' || node.type === 'ClassBody') statements = node.body as Node[];
    else if (node.type === 'SwitchCase') statements = node.consequent as Node[];
    if (statements === null) return;
    for (const statement of statements) {
      const start = statement.start;
      if (start > 0 && this.code.charCodeAt(start - 1) !== 10) this.add(start, false, '\n');
    }
  }

  private enterFunction(fn: Node): void {
    this.ranges.push(this.lineOf(fn), this.lineEndOf(fn));
    if (!fn.async || this.withDepth > 0 || (this.mayHaveWith && containsWith(fn.body as Node))) {
      this.scope = { id: -1, generator: Boolean(fn.generator) };
      return;
    }
    const index = this.functions.length / 3;
    const { name, line, kind } = this.describe(fn);
    this.functions.push(name, line, FUNCTION_KINDS.indexOf(kind));
    this.declaredNames.push(fn.type === 'FunctionDeclaration' ? ((fn.id as Node | null)?.name as string | undefined) : undefined);
    this.scope = { id: index, generator: Boolean(fn.generator) };

    // \0 is the function's id, filled in by resolveIds.
    const enter = `const ${T}=${G}.e(\0);let ${O}=1,${V};try{`;
    const leave = `}catch(__ap_e){${O}=2;throw __ap_e}finally{${G}.x(${T},${O},${V})}`;
    const body = fn.body as Node;
    let opener: Insertion;
    if (body.type === 'BlockStatement') {
      let pos = body.start + 1;
      let lastDirective: Node | null = null;
      for (const statement of body.body as Node[]) {
        if (statement.type === 'ExpressionStatement' && typeof statement.directive === 'string') {
          pos = statement.end;
          lastDirective = statement;
        } else break;
      }
      // A directive without its semicolon must stay a statement of its own.
      const separator = lastDirective && this.code[lastDirective.end - 1] !== ';' ? ';' : '';
      if (pos === body.end - 1) {
        opener = this.add(pos, false, separator + enter + leave);
      } else {
        opener = this.add(pos, false, separator + enter);
        this.add(body.end - 1, true, leave);
      }
    } else {
      const line = this.lineOf(body);
      const open = mayBePromise(body) ? `{${enter}return ${V}=${G}.rv(${T},${line},` : `{${enter}return ${V}=(`;
      opener = this.add(body.start, false, open);
      this.add(body.end, true, `)${leave}}`);
    }
    this.idSlots.push({ insertion: opener, index });
  }

  /** Instruments the nodes that suspend or resume the enclosing async function. */
  private visit(node: Node): void {
    if (node.type === 'CallExpression' && this.mappings) this.noteKeptName(node);
    const scope = this.scope;
    if (scope === null || scope.id < 0) return;
    const line = this.lineOf(node);
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
        // Outer insertions first: at one position, closers added later go first (inner ones).
        // The task resumes when the loop ends; a block keeps `if (...) for await ... else` valid.
        let statement = node;
        for (let i = this.ancestors.length - 1; i >= 0 && this.ancestors[i]!.type === 'LabeledStatement'; i--) {
          statement = this.ancestors[i]!;
        }
        this.add(statement.start, false, `{`);
        this.add(statement.end, true, `${G}.rc(${T});}`);
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
        // The task's end depends on what it returns (a promise or thenable: when that settles).
        // Generators await what they return themselves.
        const argument = node.argument as Node | null;
        if (!argument || scope.generator) break;
        const sequence = argument.type === 'SequenceExpression';
        if (mayBePromise(argument)) {
          this.add(argument.start, false, `${V}=${G}.rv(${T},${line},${sequence ? '(' : ''}`);
          this.add(argument.end, true, sequence ? '))' : ')');
        } else {
          this.add(argument.start, false, sequence ? `${V}=(` : `${V}=`);
          if (sequence) this.add(argument.end, true, ')');
        }
        break;
      }
    }
  }

  private noteKeptName(call: Node): void {
    const callee = call.callee as Node;
    const args = call.arguments as Node[];
    if (callee.type === 'Identifier' && callee.name === '__name' && args[0]?.type === 'Identifier' && args[1]?.type === 'Literal' && typeof args[1].value === 'string') {
      this.keptNames.set(args[0].name as string, args[1].value);
    }
  }

  /** The name a reader would use for this function, from where it is defined. */
  private describe(fn: Node): { name: string; line: number; kind: (typeof FUNCTION_KINDS)[number] } {
    const kind = fn.generator ? 'generator' : fn.type === 'ArrowFunctionExpression' ? 'arrow' : 'function';
    let i = this.ancestors.length - 1;
    while (i >= 0 && this.ancestors[i]!.type === 'ParenthesizedExpression') i--;
    const parent = this.ancestors[i];
    const own = (fn.id as Node | null)?.name as string | undefined;
    const line = this.lineOf(fn);
    if (!parent) return { name: own ?? '<anonymous>', line, kind };
    switch (parent.type) {
      case 'CallExpression': {
        // tsx compiles with esbuild's keepNames: `const f = async () => {}` arrives as
        // `const f = __name(async () => {}, "f")`.
        const args = parent.arguments as Node[];
        const callee = parent.callee as Node;
        if (callee.type === 'Identifier' && callee.name === '__name' && args[0] === fn && args[1]?.type === 'Literal' && typeof args[1].value === 'string') {
          return { name: own ?? args[1].value, line, kind };
        }
        break;
      }
      case 'MethodDefinition':
      case 'PropertyDefinition': {
        const cls = this.ancestors[i - 2];
        return { name: `${className(cls, this.ancestors[i - 3])}.${keyName(parent)}`, line: this.lineOf(parent), kind: fn.generator ? 'generator' : 'method' };
      }
      case 'Property':
        if (parent.value === fn || (parent.value as Node)?.type === 'ParenthesizedExpression') {
          return { name: own ?? keyName(parent), line: parent.method ? this.lineOf(parent) : line, kind: parent.method ? (fn.generator ? 'generator' : 'method') : kind };
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

/** A `with` statement in this function's own body (not in a function inside it). */
function containsWith(node: Node): boolean {
  if (node.type === 'WithStatement') return true;
  if (node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression') return false;
  for (const key in node) {
    if (key === 'loc' || key === 'start' || key === 'end' || key === 'type') continue;
    const value = node[key];
    if (Array.isArray(value)) {
      for (const child of value) if (child && typeof (child as Node).type === 'string' && containsWith(child as Node)) return true;
    } else if (value && typeof (value as Node).type === 'string' && containsWith(value as Node)) {
      return true;
    }
  }
  return false;
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
    case 'SequenceExpression': {
      const expressions = node.expressions as Node[];
      return mayBePromise(expressions[expressions.length - 1]!);
    }
    case 'LogicalExpression':
      return mayBePromise(node.left as Node) || mayBePromise(node.right as Node);
    case 'ConditionalExpression':
      return mayBePromise(node.consequent as Node) || mayBePromise(node.alternate as Node);
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
