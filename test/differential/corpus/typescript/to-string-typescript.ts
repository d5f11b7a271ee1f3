async function typed(a: number, b: string = 'x', ...rest: boolean[]): Promise<string> {
  return `${a}${b}${rest.length}`;
}
const arrow = async <T,>(value: T): Promise<T> => value;
class K {
  constructor(private readonly p: number) {}
  async method(this: K, x?: number): Promise<number> { return this.p + (x ?? 0); }
}
console.log(typed.toString());
console.log(arrow.toString());
console.log(K.prototype.method.toString());
console.log(typed.length, arrow.length, K.prototype.method.length, K.length);
