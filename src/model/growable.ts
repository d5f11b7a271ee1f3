// Typed arrays that grow as a one-pass reader appends to them (capacity doubles), then are cut
// to their length. The model's columns are built with these: no per-element objects.

type TypedArray = Float64Array | Int32Array | Uint8Array;
type Constructor<T extends TypedArray> = new (length: number) => T;

export class Growable<T extends TypedArray> {
  array: T;
  length = 0;

  constructor(
    private readonly make: Constructor<T>,
    capacity = 1024,
  ) {
    this.array = new make(Math.max(16, capacity));
  }

  push(value: number): void {
    if (this.length === this.array.length) this.grow(this.length + 1);
    this.array[this.length++] = value;
  }

  /** Makes room for index `index` (zero-filled), for arrays written by index. */
  ensure(index: number): void {
    if (index >= this.array.length) this.grow(index + 1);
    if (index >= this.length) this.length = index + 1;
  }

  private grow(minimum: number): void {
    let capacity = this.array.length * 2;
    while (capacity < minimum) capacity *= 2;
    const next = new this.make(capacity);
    next.set(this.array.subarray(0, this.length) as never);
    this.array = next;
  }

  /** The elements as an array of exactly their length (a copy when much room is left over). */
  finish(): T {
    if (this.length === this.array.length) return this.array;
    // Little to gain from a copy: a view keeps the spare room, but saves the copy's peak.
    if (this.length > this.array.length * 0.9) return this.array.subarray(0, this.length) as T;
    return this.array.slice(0, this.length) as T;
  }
}

export const f64 = (capacity?: number) => new Growable(Float64Array, capacity);
export const i32 = (capacity?: number) => new Growable(Int32Array, capacity);
export const u8 = (capacity?: number) => new Growable(Uint8Array, capacity);
