enum Direction { Up = 1, Down, Left = 10, Right }
enum Status { Active = 'ACTIVE', Inactive = 'INACTIVE' }
const enum Flags { None = 0, A = 1 << 0, B = 1 << 1, AB = A | B }
enum Computed { Len = 'abc'.length, Twice = Len * 2 }
declare enum Ambient { X }
async function describe(d: Direction) {
  await null;
  return `${Direction[d]}=${d}`;
}
(async () => {
  console.log(await describe(Direction.Down), await describe(Direction.Right));
  console.log(Object.keys(Direction), Status.Active, Flags.AB, Computed.Twice);
  console.log(JSON.stringify(Direction));
})();
