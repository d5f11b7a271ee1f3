// What Node emits on a ChildProcess ('exit', 'close'), seen by the profiler without a listener
// that the program could count (listenerCount, eventNames): one wrapper of
// ChildProcess.prototype.emit, before the program's listeners run, for every part of the
// profiler that needs it (resources.ts: a child's callback and end; other-programs.ts: a program
// that is not Node has ended).
import { createRequire } from 'node:module';
import { replaceMethod } from './fidelity/replace-method.js';
import { primordials } from './primordials.js';

export type ChildEventObserver = (child: object, event: unknown, args: IArguments) => void;

const observers: ChildEventObserver[] = [];
let installed = false;

export function observeChildEvents(observer: ChildEventObserver): void {
  observers.push(observer);
  if (installed) return;
  installed = true;
  try {
    const { ChildProcess } = createRequire(import.meta.url)('node:child_process') as { ChildProcess: { prototype: object } };
    replaceMethod(ChildProcess.prototype, 'emit', (original) =>
      function (this: unknown, event: unknown) {
        if (typeof this === 'object' && this !== null) {
          for (const observe of observers) {
            try {
              observe(this, event, arguments);
            } catch {
              // The profiler never adds a failure of its own to the program's.
            }
          }
        }
        return primordials.apply(original, this, primordials.arrayFrom(arguments));
      },
    );
  } catch {
    // Then what needed these events goes without them, as the program does bare.
  }
}
