// Seeded generator of random async programs for the differential suite.
//
// Every program must print the same thing on every bare run, so the generator keeps a virtual
// clock while it writes the code: time advances only in whole slots of SLOT_MS, each timer is
// given a slot of its own, and code between timers runs in microtasks, nextTicks and immediates
// whose order Node fixes. A slot therefore holds exactly one timer callback and everything that
// callback sets off; nothing depends on which of two timers the operating system wakes first.
// Timers aim at their slot's absolute time since the program started (the program computes the
// delay when it sets the timer), so lateness on a loaded machine does not add up along a chain
// of awaits: only a single stall longer than a slot can reorder two slots. Control flow whose timing depends on an
// outcome (a combinator that may reject, an awaited child that may throw) is resolved by the
// generator, which knows each function's outcome and settle slot as it writes it.
import { createHash } from 'node:crypto';

/** Virtual time step: large against timer lateness and scheduler noise on a loaded machine. */
export const SLOT_MS = 50;
/** Last slot a timer may use: programs end within about MAX_SLOT * SLOT_MS. */
const MAX_SLOT = 12;
const MAX_DEPTH = 3;

export type Flavor = 'mjs' | 'cjs' | 'js' | 'mts' | 'ts';

export interface GeneratedProgram {
  seed: number;
  index: number;
  flavor: Flavor;
  fileName: string;
  source: string;
}

/** Settling of a promise in virtual time: which slot, and whether it rejects. */
interface Settle {
  slot: number;
  rejected: boolean;
}

/** mayReject: the enclosing function's promise may reject; canThrow: a throw here is allowed (caught nearby or rejecting the function). */
interface Context {
  mayReject: boolean;
  canThrow: boolean;
}

/** How a block of statements ended. */
type Ending = { kind: 'fall'; slot: number } | { kind: 'return'; slot: number; value: Settle } | { kind: 'throw'; slot: number };

/** sfc32 seeded through SHA-256 of (seed, index): each program reproducible on its own. */
function makeRng(seed: number, index: number): () => number {
  const digest = createHash('sha256').update(`async-prof-differential:${seed}:${index}`).digest();
  let a = digest.readUInt32LE(0);
  let b = digest.readUInt32LE(4);
  let c = digest.readUInt32LE(8);
  let d = digest.readUInt32LE(12);
  return () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

class ProgramWriter {
  private readonly random: () => number;
  private readonly usedSlots = new Set<number>();
  private readonly definitions: string[] = [];
  private nextId = 0;
  readonly typed: boolean;
  /** Whether a rejection nobody handles may happen (a crash, or the program's unhandledRejection handler). */
  readonly unhandledAllowed: boolean;
  /** The program prints unhandled rejections itself instead of crashing. */
  readonly rejectionHandler: boolean;

  constructor(seed: number, index: number, readonly flavor: Flavor) {
    this.random = makeRng(seed, index);
    this.typed = flavor === 'ts' || flavor === 'mts';
    this.unhandledAllowed = this.chance(0.5);
    this.rejectionHandler = this.chance(0.3);
  }

  chance(p: number): boolean {
    return this.random() < p;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.random() * (hi - lo + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)]!;
  }
  id(prefix: string): string {
    return `${prefix}${this.nextId++}`;
  }

  /** A free slot after `now`, mostly a near one; null when the program's time is used up. */
  takeSlot(now: number): number | null {
    const free: number[] = [];
    for (let slot = now + 1; slot <= MAX_SLOT; slot++) if (!this.usedSlots.has(slot)) free.push(slot);
    if (free.length === 0) return null;
    const slot = free[Math.min(free.length - 1, Math.floor(this.random() * this.random() * free.length))]!;
    this.usedSlots.add(slot);
    return slot;
  }

  param(name: string, type: string): string {
    return this.typed ? `${name}: ${type}` : name;
  }

  /** A parenthesised keyword operand sometimes: `await(x)`, `return(x)` (issue 15). */
  operand(keyword: string, expr: string): string {
    return this.chance(0.15) ? `${keyword}(${expr})` : `${keyword} ${expr}`;
  }

  /**
   * Defines a new async function that starts at `start` and returns how to call it and when its
   * promise settles. Each generated function is called exactly once, so its timers' slots are known.
   */
  asyncFunction(start: number, depth: number, options: { mayReject?: boolean } = {}): { call: string; settle: Settle } {
    const name = this.id('f');
    const arg = this.int(0, 9);
    const mayReject = options.mayReject ?? true;
    const body = this.block(start, depth, name, { mayReject, canThrow: mayReject }, this.int(1, depth >= MAX_DEPTH ? 2 : 4));
    const lines = [`console.log('${name} start', n);`, ...body.lines];
    const ending = body.ending;
    const settle: Settle =
      ending.kind === 'fall'
        ? { slot: ending.slot, rejected: false }
        : ending.kind === 'throw'
          ? { slot: ending.slot, rejected: true }
          : { slot: Math.max(ending.slot, ending.value.slot), rejected: ending.value.rejected };
    const inner = indent(lines);
    const param = this.param('n', 'number');
    const form = this.pick(['declaration', 'arrow', 'expression', 'method', 'static', 'private', 'object'] as const);
    let call: string;
    switch (form) {
      case 'declaration':
        this.definitions.push(`async function ${name}(${param}) {\n${inner}\n}`);
        call = `${name}(${arg})`;
        break;
      case 'arrow':
        this.definitions.push(`const ${name} = async (${param}) => {\n${inner}\n};`);
        call = `${name}(${arg})`;
        break;
      case 'expression':
        this.definitions.push(`const ${name} = async function ${name}Inner(${param}) {\n${inner}\n};`);
        call = `${name}(${arg})`;
        break;
      case 'method':
        this.definitions.push(`class ${name}Class {\n  async run(${param}) {\n${indent(lines, 4)}\n  }\n}`);
        call = `new ${name}Class().run(${arg})`;
        break;
      case 'static':
        this.definitions.push(`class ${name}Class {\n  static async run(${param}) {\n${indent(lines, 4)}\n  }\n}`);
        call = `${name}Class.run(${arg})`;
        break;
      case 'private':
        this.definitions.push(
          `class ${name}Class {\n  async #run(${param}) {\n${indent(lines, 4)}\n  }\n  run(${param}) {\n    return this.#run(n);\n  }\n}`,
        );
        call = `new ${name}Class().run(${arg})`;
        break;
      case 'object':
        this.definitions.push(`const ${name}Object = {\n  async run(${param}) {\n${indent(lines, 4)}\n  },\n};`);
        call = `${name}Object.run(${arg})`;
        break;
    }
    return { call, settle };
  }

  /** An async function that always rejects: after a timer of its own, or in microtasks of its start slot. */
  rejecting(start: number): { call: string; settle: Settle } {
    const name = this.id('r');
    const slot = this.chance(0.6) ? this.takeSlot(start) : null;
    const wait = slot === null ? this.operand('await', this.zeroTimeOperand(name)) : `await sleep(${slot})`;
    const end = slot ?? start;
    this.definitions.push(
      `async function ${name}(${this.param('n', 'number')}) {\n  console.log('${name} start', n);\n  ${wait};\n  throw failure('${name} failed at ${end}');\n}`,
    );
    return { call: `${name}(${this.int(0, 9)})`, settle: { slot: end, rejected: true } };
  }

  /** An async function that fulfils (for places that must not reject, or whose rejection would race). */
  fulfilling(start: number, depth: number): { call: string; settle: Settle } {
    return this.asyncFunction(start, depth, { mayReject: false });
  }

  /** A zero-time awaited operand: settles in microtasks of the current slot. */
  zeroTimeOperand(label: string): string {
    return this.pick([
      `null`,
      `'${label}'`,
      `Promise.resolve('${label}')`,
      `{ then(resolve${this.typed ? ': (v: string) => void' : ''}) { console.log('then ${label}'); resolve('${label}'); } }`,
      `new Promise((resolve) => setImmediate(resolve, '${label}'))`,
      `new Promise((resolve) => process.nextTick(resolve, '${label}'))`,
      `tracked('${label}')`,
    ]);
  }

  /** Callbacks that print in an order fixed by Node's queues (microtasks, nextTick, immediates). */
  orderingPrints(label: string): string[] {
    const kinds = ['queueMicrotask', 'nextTick', 'then', 'thenChain', 'immediate', 'resolvedAwait'] as const;
    const lines: string[] = [];
    for (let i = 0, n = this.int(1, 3); i < n; i++) {
      const tag = `${label}.${i}`;
      switch (this.pick(kinds)) {
        case 'queueMicrotask':
          lines.push(`queueMicrotask(() => console.log('microtask ${tag}'));`);
          break;
        case 'nextTick':
          lines.push(`process.nextTick(() => console.log('nextTick ${tag}'));`);
          break;
        case 'then':
          lines.push(`Promise.resolve().then(() => console.log('then ${tag}'));`);
          break;
        case 'thenChain':
          lines.push(`Promise.resolve('${tag}').then((v) => { console.log('chain1', v); return v; }).then((v) => console.log('chain2', v));`);
          break;
        case 'immediate':
          lines.push(`setImmediate(() => console.log('immediate ${tag}'));`);
          break;
        case 'resolvedAwait':
          lines.push(`console.log('awaited', ${this.operand('await', this.zeroTimeOperand(tag))});`);
          break;
      }
    }
    return lines;
  }

  /**
   * A sequence of statements starting at slot `start`. Stops at the first statement that ends
   * the block (return or throw): code after it would never run.
   */
  block(start: number, depth: number, owner: string, context: Context, statements: number): { lines: string[]; ending: Ending } {
    const lines: string[] = [];
    let now = start;
    for (let i = 0; i < statements; i++) {
      const step = this.statement(now, depth, owner, context, i === statements - 1);
      lines.push(...step.lines);
      if (step.ending.kind !== 'fall') return { lines, ending: step.ending };
      now = step.ending.slot;
    }
    return { lines, ending: { kind: 'fall', slot: now } };
  }

  statement(now: number, depth: number, owner: string, context: Context, last: boolean): { lines: string[]; ending: Ending } {
    const fall = (lines: string[], slot = now): { lines: string[]; ending: Ending } => ({ lines, ending: { kind: 'fall', slot } });
    const deeper = depth < MAX_DEPTH;
    const choices: string[] = ['print', 'ordering', 'sleep', 'thenable'];
    if (deeper) choices.push('child', 'child', 'combinator', 'combinator', 'try', 'floating', 'asyncGenerator', 'forAwaitArray', 'nested');
    // Not with the program's own handler: handling the rejection later would print Node's
    // PromiseRejectionHandledWarning, which names the process id.
    if (deeper && this.unhandledAllowed && !this.rejectionHandler) choices.push('deferredAwait');
    choices.push('labelledLoop', 'sleepLoop');
    if (last) choices.push('return', 'return');
    if (last && context.canThrow) choices.push('throw');
    const kind = this.pick(choices);
    switch (kind) {
      case 'print':
        return fall([`console.log('${owner} at', ${now}, n);`]);
      case 'ordering':
        return fall(this.orderingPrints(this.id(`${owner}o`)));
      case 'sleep': {
        const slot = this.takeSlot(now);
        if (slot === null) return fall([`${this.operand('await', 'null')};`, `console.log('${owner} no time left');`]);
        return fall([`console.log('${owner} slept', ${this.operand('await', `sleep(${slot}, ${slot})`)});`], slot);
      }
      case 'thenable': {
        const slot = this.takeSlot(now);
        if (slot === null) return fall([`console.log('${owner} thenable', await thenable('${owner}'));`]);
        return fall([`console.log('${owner} late thenable', await thenable('${owner}', ${slot}));`], slot);
      }
      case 'child': {
        const child = this.asyncFunction(now, depth + 1);
        if (!child.settle.rejected) return fall([`console.log('${owner} got', await ${child.call});`], child.settle.slot);
        if (this.chance(0.5) || !context.canThrow) {
          return fall(
            [`try {`, `  console.log('${owner} got', await ${child.call});`, `} catch (error) {`, `  console.log('${owner} caught', error.message);`, `}`],
            child.settle.slot,
          );
        }
        // Uncaught: the rejection ends this function too.
        return { lines: [`console.log('${owner} got', await ${child.call});`], ending: { kind: 'throw', slot: child.settle.slot } };
      }
      case 'nested': {
        // The inner await's value is the outer call's argument: the outer function starts when it settles.
        const inner = this.fulfilling(now, depth + 1);
        const outerName = this.id('g');
        const outerStart = inner.settle.slot;
        const outer = this.fulfilling(outerStart, depth + 1);
        this.definitions.push(`async function ${outerName}(${this.param('value', 'unknown')}) {\n  console.log('${outerName} received', value);\n  return ${outer.call};\n}`);
        return fall([`console.log('${owner} nested', await ${outerName}(await ${inner.call}));`], outer.settle.slot);
      }
      case 'combinator':
        return fall(this.combinator(now, depth, owner), this.lastCombinatorSlot);
      case 'try':
        return this.tryStatement(now, depth, owner, context);
      case 'floating': {
        const child = this.unhandledAllowed && this.chance(0.4) ? this.rejecting(now) : this.asyncFunction(now, depth + 1, { mayReject: this.unhandledAllowed });
        const handled = this.chance(0.5) || !child.settle.rejected;
        if (handled) {
          return fall([`${child.call}.then((value) => console.log('${owner} floating', value), (error) => console.log('${owner} floating rejected', error.message));`]);
        }
        return fall([`${child.call}; // not awaited, not handled`]);
      }
      case 'deferredAwait': {
        // Created now, awaited after a timer: a rejection before that timer is unhandled.
        const child = this.chance(0.5) ? this.rejecting(now) : this.asyncFunction(now, depth + 1, { mayReject: true });
        const slot = this.takeSlot(now);
        if (slot === null) return fall([`console.log('${owner} skipped deferred');`]);
        return fall(
          [
            `const pending${this.nextId} = ${child.call};`,
            `await sleep(${slot});`,
            `try {`,
            `  console.log('${owner} deferred', await pending${this.nextId});`,
            `} catch (error) {`,
            `  console.log('${owner} deferred rejected', error.message);`,
            `}`,
          ],
          Math.max(slot, child.settle.slot),
        );
      }
      case 'asyncGenerator':
        return this.asyncGeneratorLoop(now, owner, context);
      case 'forAwaitArray': {
        const items: string[] = [];
        let end = now;
        for (let i = 0, n = this.int(2, 4); i < n; i++) {
          const slot = this.chance(0.5) ? this.takeSlot(now) : null;
          if (slot === null) items.push(this.pick([`'${owner}-${i}'`, `Promise.resolve(${i})`, `thenable('${owner}-${i}')`]));
          else {
            items.push(`sleep(${slot}, 'slot ${slot}')`);
            end = Math.max(end, slot);
          }
        }
        const space = this.chance(0.3) ? '' : ' ';
        return fall([`for await (const item of${space}[${items.join(', ')}]) {`, `  console.log('${owner} item', item);`, `}`], end);
      }
      case 'labelledLoop': {
        const continueAt = [this.int(0, 2), this.int(0, 2)] as const;
        const breakAt = this.int(1, 3);
        const label = this.id('outer');
        return fall([
          `${label}: for (const i of [0, 1, 2]) {`,
          `  for (const j of [0, 1, 2]) {`,
          `    ${this.operand('await', this.zeroTimeOperand(`${owner}.${label}`))};`,
          `    if (i === ${continueAt[0]} && j === ${continueAt[1]}) continue ${label};`,
          `    if (i === ${breakAt}) break ${label};`,
          `    console.log('${owner} loop', i, j);`,
          `  }`,
          `}`,
        ]);
      }
      case 'sleepLoop': {
        const slots: number[] = [];
        let slot = now;
        for (let i = 0, n = this.int(1, 3); i < n; i++) {
          const next = this.takeSlot(slot);
          if (next === null) break;
          slots.push(next);
          slot = next;
        }
        if (slots.length === 0) return fall([`console.log('${owner} no loop');`]);
        return fall([`for (const [i, slot] of [${slots.join(', ')}].entries()) {`, `  await sleep(slot);`, `  console.log('${owner} tick', i);`, `}`], slot);
      }
      case 'return':
        return this.returnStatement(now, depth, owner, context);
      case 'throw':
        return { lines: [`throw failure('${owner} failed at ${now}');`], ending: { kind: 'throw', slot: now } };
      default:
        throw new Error(`unknown statement kind ${kind}`);
    }
  }

  returnStatement(now: number, depth: number, owner: string, context: Context): { lines: string[]; ending: Ending } {
    const value = (settle: Settle, line: string) => ({ lines: [line], ending: { kind: 'return', slot: now, value: settle } as Ending });
    const form = this.pick(['value', 'promiseNoAwait', 'awaited', 'thenable', 'lateThenable', 'subclass', 'lateSubclass'] as const);
    if (form === 'value' || depth >= MAX_DEPTH) return value({ slot: now, rejected: false }, `${this.operand('return', `'${owner} done'`)};`);
    if (form === 'thenable') return value({ slot: now, rejected: false }, `return thenable('${owner} thenable');`);
    if (form === 'subclass') return value({ slot: now, rejected: false }, `return tracked('${owner} tracked');`);
    if (form === 'lateThenable' || form === 'lateSubclass') {
      const slot = this.takeSlot(now);
      if (slot === null) return value({ slot: now, rejected: false }, `return '${owner} out of time';`);
      const make = form === 'lateThenable' ? 'thenable' : 'tracked';
      return value({ slot, rejected: false }, `return ${make}('${owner} late', ${slot});`);
    }
    // A returned promise passes by any catch around the return: only the function's own promise may reject.
    const child = this.asyncFunction(now, depth + 1, { mayReject: context.mayReject });
    if (form === 'promiseNoAwait') return value(child.settle, `${this.operand('return', child.call)};`);
    return value(child.settle, `return ${this.operand('await', child.call)};`);
  }

  private lastCombinatorSlot = 0;

  combinator(now: number, depth: number, owner: string): string[] {
    const kind = this.pick(['all', 'race', 'any', 'allSettled'] as const);
    const members: { expr: string; settle: Settle }[] = [];
    for (let i = 0, n = this.int(2, 3); i < n; i++) {
      const what = this.pick(['child', 'child', 'sleep', 'reject', 'value', 'thenable', 'tracked'] as const);
      if (what === 'child') {
        const child = this.asyncFunction(now, depth + 1);
        members.push({ expr: child.call, settle: child.settle });
      } else if (what === 'sleep' || what === 'reject') {
        const slot = this.takeSlot(now);
        if (slot === null) members.push({ expr: `'${owner}-${i}'`, settle: { slot: now, rejected: false } });
        else if (what === 'sleep') members.push({ expr: `sleep(${slot}, '${owner}-${i}')`, settle: { slot, rejected: false } });
        else members.push({ expr: `sleepReject(${slot}, '${owner}-${i} rejected')`, settle: { slot, rejected: true } });
      } else if (what === 'value') {
        members.push({ expr: this.pick([`'${owner}-${i}'`, `Promise.resolve('${owner}-${i}')`, `Promise.reject(new Error('${owner}-${i} rejected now'))`]), settle: { slot: now, rejected: false } });
        if (members[members.length - 1]!.expr.startsWith('Promise.reject')) members[members.length - 1]!.settle.rejected = true;
      } else {
        members.push({ expr: `${what}('${owner}-${i}')`, settle: { slot: now, rejected: false } });
      }
    }
    const slots = (filter: (s: Settle) => boolean) => members.map((m) => m.settle).filter(filter).map((s) => s.slot);
    const all = slots(() => true);
    const rejections = slots((s) => s.rejected);
    const fulfilments = slots((s) => !s.rejected);
    let settleSlot: number;
    switch (kind) {
      case 'all':
        settleSlot = rejections.length > 0 ? Math.min(...rejections) : Math.max(...all);
        break;
      case 'race':
        settleSlot = Math.min(...all);
        break;
      case 'any':
        settleSlot = fulfilments.length > 0 ? Math.min(...fulfilments) : Math.max(...all);
        break;
      case 'allSettled':
        settleSlot = Math.max(...all);
        break;
    }
    this.lastCombinatorSlot = settleSlot;
    const show =
      kind === 'allSettled'
        ? `result.map((r) => r.status === 'fulfilled' ? 'ok ' + r.value : 'no ' + r.reason.message).join(', ')`
        : 'result';
    return [
      `try {`,
      `  const result = await Promise.${kind}([${members.map((m) => m.expr).join(', ')}]);`,
      `  console.log('${owner} ${kind}', ${show});`,
      `} catch (error) {`,
      `  console.log('${owner} ${kind} rejected', error instanceof AggregateError ? 'AggregateError ' + error.errors.map((e) => e.message).join('; ') : error.message);`,
      `}`,
    ];
  }

  tryStatement(now: number, depth: number, owner: string, context: Context): { lines: string[]; ending: Ending } {
    const body = this.block(now, depth, owner, { mayReject: context.mayReject, canThrow: true }, this.int(1, 3));
    const lines = [`try {`, ...indent(body.lines).split('\n')];
    let ending = body.ending;
    const hasCatch = this.chance(0.7);
    const hasFinally = !hasCatch || this.chance(0.6);
    if (hasCatch) {
      lines.push(`} catch (error) {`, `  console.log('${owner} caught', error.message);`);
      if (ending.kind === 'throw') {
        const choice = this.pick(['swallow', 'return', 'rethrow'] as const);
        if (choice === 'return') {
          lines.push(`  return '${owner} recovered';`);
          ending = { kind: 'return', slot: ending.slot, value: { slot: ending.slot, rejected: false } };
        } else if (choice === 'rethrow' && context.canThrow) {
          lines.push(`  throw error;`);
        } else {
          ending = { kind: 'fall', slot: ending.slot };
        }
      }
    }
    if (hasFinally) {
      lines.push(`} finally {`, `  console.log('${owner} finally');`);
      let slot = ending.slot;
      const work = this.pick(['none', 'sleep', 'child', 'override'] as const);
      if (work === 'sleep') {
        const next = this.takeSlot(slot);
        if (next !== null) {
          lines.push(`  await sleep(${next});`, `  console.log('${owner} finally slept');`);
          slot = next;
        }
      } else if (work === 'child' && depth < MAX_DEPTH) {
        // An async call in finally after a return from try: the task ends when the finally work does.
        const child = this.fulfilling(slot, depth + 1);
        lines.push(`  console.log('${owner} finally got', await ${child.call});`);
        slot = child.settle.slot;
      }
      if (work === 'override') {
        lines.push(`  return '${owner} from finally';`);
        ending = { kind: 'return', slot, value: { slot, rejected: false } };
      } else if (ending.kind === 'fall') ending = { kind: 'fall', slot };
      else if (ending.kind === 'throw') ending = { kind: 'throw', slot };
      else ending = { kind: 'return', slot, value: ending.value };
    }
    lines.push('}');
    if (ending.kind === 'throw' && !context.canThrow) {
      // A throw is not allowed here (the function must fulfil): catch what the try let through.
      return { lines: [`try {`, ...indent(lines).split('\n'), `} catch (error) {`, `  console.log('${owner} outer catch', error.message);`, `}`], ending: { kind: 'fall', slot: ending.slot } };
    }
    return { lines, ending };
  }

  asyncGeneratorLoop(now: number, owner: string, context: Context): { lines: string[]; ending: Ending } {
    const name = this.id('gen');
    // Each step waits for a slot of its own or yields at once.
    const steps: { slot: number | null; value: string; viaYieldPromise: boolean }[] = [];
    let slot = now;
    const count = this.int(2, 4);
    for (let i = 0; i < count; i++) {
      const next = this.chance(0.6) ? this.takeSlot(slot) : null;
      steps.push({ slot: next, value: `${name}-${i}`, viaYieldPromise: this.chance(0.3) });
      if (next !== null) slot = next;
    }
    const throwsAtEnd = this.chance(0.25);
    const stopAt = this.chance(0.4) ? this.int(0, count - 1) : -1;
    const stopHow = this.pick(['break', 'return'] as const);
    const body = steps.map((s) =>
      s.viaYieldPromise
        ? s.slot !== null
          ? `    yield sleep(${s.slot}, '${s.value}');`
          : `    yield Promise.resolve('${s.value}');`
        : s.slot !== null
          ? `    await sleep(${s.slot});\n    ${this.operand('yield', `'${s.value}'`)};`
          : `    yield '${s.value}';`,
    );
    // The slot the consumer is at after the last value it takes.
    const taken = stopAt >= 0 ? stopAt + 1 : count;
    let endSlot = now;
    for (let i = 0; i < taken; i++) endSlot = steps[i]!.slot ?? endSlot;
    // Slots of steps never reached stay reserved: harmless, they simply stay empty.
    this.definitions.push(
      [
        `async function* ${name}() {`,
        `  try {`,
        ...body,
        ...(throwsAtEnd ? [`    throw failure('${name} broke');`] : []),
        `  } finally {`,
        `    console.log('${name} finally');`,
        `  }`,
        `}`,
      ].join('\n'),
    );
    const loop = [`for await (const value of ${name}()) {`, `  console.log('${owner} got', value);`];
    let ending: Ending = { kind: 'fall', slot: endSlot };
    if (stopAt >= 0) {
      if (stopHow === 'break') loop.push(`  if (value === '${name}-${stopAt}') break;`);
      else {
        loop.push(`  if (value === '${name}-${stopAt}') return value;`);
        ending = { kind: 'return', slot: endSlot, value: { slot: endSlot, rejected: false } };
      }
    }
    loop.push('}');
    if (throwsAtEnd && stopAt < 0) {
      if (context.canThrow && this.chance(0.5)) return { lines: loop, ending: { kind: 'throw', slot: endSlot } };
      return { lines: ['try {', ...indent(loop).split('\n'), '} catch (error) {', `  console.log('${owner} generator threw', error.message);`, '}'], ending: { kind: 'fall', slot: endSlot } };
    }
    return { lines: loop, ending };
  }

  program(seed: number, index: number): string {
    const main = this.asyncFunction(0, 0);
    const header = [
      `// Generated by test/differential/generate.ts: seed ${seed}, program ${index}.`,
      `// Rerun: DIFF_SEED=${seed} npx tsx test/differential/run.ts --generated ${seed}:${index}`,
    ];
    if (this.flavor === 'cjs' && this.chance(0.5)) header.unshift(this.chance(0.5) ? `'use strict'` : `'use strict';`);
    const any = this.typed ? ': any' : '';
    const num = this.typed ? ': number' : '';
    const helpers = [
      `// Timers aim at absolute slots of ${SLOT_MS} ms since the start: lateness does not add up along a chain of awaits.`,
      `const origin = performance.now();`,
      `const msUntil = (slot${num}) => Math.max(1, Math.round(origin + slot * ${SLOT_MS} - performance.now()));`,
      `const sleep = (slot${num}, value${this.typed ? '?: unknown' : ''}) => new Promise((resolve) => setTimeout(resolve, msUntil(slot), value));`,
      `const sleepReject = (slot${num}, message${this.typed ? ': string' : ''}) => new Promise((_, reject) => setTimeout(() => reject(new Error(message)), msUntil(slot)));`,
      // One frame, the function that failed: below it, Node's own frames differ when a stall lets two
      // timers fall due together (the continuation then runs from runNextTicks between them).
      `function failure(message${this.typed ? ': string' : ''}) {`,
      `  const limit = Error.stackTraceLimit;`,
      `  Error.stackTraceLimit = 1;`,
      `  const error = new Error(message);`,
      `  Error.captureStackTrace(error, failure);`,
      `  Error.stackTraceLimit = limit;`,
      `  return error;`,
      `}`,
      `let thenCalls = 0;`,
      // A promise subclass counts its own then calls: every extra call a profiler makes shows at exit.
      `let trackedThens = 0;`,
      `class Tracked${this.typed ? '<T>' : ''} extends Promise${this.typed ? '<T>' : ''} {`,
      `  then(onFulfilled${this.typed ? '?: any' : ''}, onRejected${this.typed ? '?: any' : ''})${this.typed ? ': any' : ''} {`,
      `    trackedThens++;`,
      `    return super.then(onFulfilled, onRejected);`,
      `  }`,
      `}`,
      `const tracked = (value${this.typed ? ': unknown' : ''}, slot${this.typed ? '?: number' : ''}) => new Tracked((resolve${this.typed ? ': (v: unknown) => void' : ''}) => (slot === undefined ? resolve(value) : setTimeout(resolve, msUntil(slot), value)));`,
      `function thenable(value${any}, slot${this.typed ? '?: number' : ''}) {`,
      `  return {`,
      `    then(resolve${any}) {`,
      `      thenCalls++;`,
      `      console.log('then called for', value);`,
      `      if (slot === undefined) resolve(value);`,
      `      else setTimeout(() => resolve(value), msUntil(slot));`,
      `    },`,
      `  };`,
      `}`,
      `process.on('exit', (code) => console.log('exit', code, 'then calls', thenCalls, 'tracked then calls', trackedThens));`,
    ];
    if (this.rejectionHandler) helpers.push(`process.on('unhandledRejection', (error${any}) => console.log('unhandled', error.message));`);
    const start =
      this.flavor === 'mjs' || this.flavor === 'mts'
        ? this.chance(0.5)
          ? [`try {`, `  console.log('main', await ${main.call});`, `} catch (error${any}) {`, `  console.log('main rejected', error.message);`, `}`]
          : [`${main.call}.then((value) => console.log('main', value), (error) => console.log('main rejected', error.message));`]
        : [`${main.call}.then((value${any}) => console.log('main', value), (error${any}) => console.log('main rejected', error.message));`];
    // Catch variables are left untyped in TypeScript flavours: tsx strips types without checking them.
    return [...header, ...helpers, '', ...this.definitions.reverse(), '', ...start, `console.log('sync end');`, ''].join('\n');
  }
}

function indent(lines: string[], spaces = 2): string {
  const pad = ' '.repeat(spaces);
  return lines
    .join('\n')
    .split('\n')
    .map((line) => (line === '' ? line : pad + line))
    .join('\n');
}

const FLAVORS: readonly Flavor[] = ['mjs', 'mjs', 'mjs', 'cjs', 'cjs', 'js', 'mts', 'ts'];

export function generateProgram(seed: number, index: number): GeneratedProgram {
  const flavor = FLAVORS[Math.floor(makeRng(seed, index)() * FLAVORS.length)]!;
  const writer = new ProgramWriter(seed, index, flavor);
  const source = writer.program(seed, index);
  return { seed, index, flavor, fileName: `main.${flavor}`, source };
}

export const DEFAULT_SEED = 1;
export const DEFAULT_COUNT = 200;

export function seedFromEnv(): number {
  const raw = process.env.DIFF_SEED;
  if (raw === undefined || raw === '') return DEFAULT_SEED;
  const seed = Number(raw);
  if (!Number.isSafeInteger(seed)) throw new Error(`DIFF_SEED must be an integer, got ${raw}`);
  return seed;
}

export function countFromEnv(): number {
  const raw = process.env.DIFF_COUNT;
  if (raw === undefined || raw === '') return DEFAULT_COUNT;
  const count = Number(raw);
  if (!Number.isSafeInteger(count) || count < 0) throw new Error(`DIFF_COUNT must be a non-negative integer, got ${raw}`);
  return count;
}
