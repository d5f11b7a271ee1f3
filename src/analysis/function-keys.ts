// One id per distinct (name, file, line) of the model's function table, for grouping tasks by
// function without string keys per task.
import type { TraceModel } from '../model/types.js';

/** Functions that read the same (name, file, line) share an id: the function table's ids may repeat one. */
export function functionKeys(model: TraceModel): Int32Array {
  const F = model.functions;
  const ids = new Map<string, number>();
  const keys = new Int32Array(F.name.length);
  for (let f = 0; f < F.name.length; f++) {
    const text = `${F.name[f]}\0${F.file[f]}\0${F.line[f]}`;
    let id = ids.get(text);
    if (id === undefined) ids.set(text, (id = ids.size));
    keys[f] = id;
  }
  return keys;
}
