type Id = number & { readonly brand: unique symbol };
interface User { id: Id; name: string }
abstract class Shape { abstract area(): number; describe(this: Shape) { return `area ${this.area().toFixed(2)}`; } }
class Circle extends Shape { constructor(private r: number) { super(); } override area() { return Math.PI * this.r ** 2; } }
function overload(x: string): string;
function overload(x: number): number;
function overload(x: any) { return x; }
const config = { mode: 'fast', retries: 3 } as const satisfies Record<string, string | number>;
const generic = async <T,>(value: T): Promise<T[]> => [value];
const angle = <number>(<unknown>5);
let definite!: string;
function withThis(this: { n: number }, a: number, b?: number) { return this.n + a; }
(async () => {
  const user: User = { id: 1 as Id, name: 'ada' };
  console.log(user.name, new Circle(1).describe(), overload('o'), config.mode, await generic<string>('g'), angle);
  console.log(withThis.length, withThis.call({ n: 1 }, 2), typeof definite);
})();
