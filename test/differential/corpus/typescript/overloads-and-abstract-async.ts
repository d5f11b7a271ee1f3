function parse(input: string): Promise<number>;
function parse(input: number): Promise<string>;
async function parse(input: string | number): Promise<number | string> {
  await null;
  return typeof input === 'string' ? input.length : String(input);
}
abstract class Job { abstract run(): Promise<string>; async twice() { return (await this.run()) + (await this.run()); } }
class Echo extends Job { async run() { return 'echo'; } }
(async () => {
  console.log(await parse('four'), await parse(4), await new Echo().twice(), parse.length, parse.name);
})();
