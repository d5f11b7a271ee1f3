// A reusable list of integers on a typed array: scratch space for passes that collect a few
// items per step millions of times (no array to allocate, no length to reset).

export class IntList {
  length = 0;
  items = new Int32Array(16);

  clear(): void {
    this.length = 0;
  }

  push(value: number): void {
    if (this.length === this.items.length) {
      const grown = new Int32Array(this.items.length * 2);
      grown.set(this.items);
      this.items = grown;
    }
    this.items[this.length++] = value;
  }

  at(i: number): number {
    return this.items[i]!;
  }

  toArray(): number[] {
    return Array.from(this.items.subarray(0, this.length));
  }
}
