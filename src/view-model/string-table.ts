// Interned strings: every name, path and type is stored once and referred to by index.

export class StringTable {
  readonly strings: string[] = [];
  private readonly index = new Map<string, number>();

  constructor() {
    this.intern('');
  }

  intern(value: string): number {
    let i = this.index.get(value);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(value);
      this.index.set(value, i);
    }
    return i;
  }
}
