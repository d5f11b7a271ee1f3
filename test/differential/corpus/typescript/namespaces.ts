namespace Geo {
  export const origin = { x: 0, y: 0 };
  export async function distance(a: { x: number; y: number }, b = origin) {
    await null;
    return Math.hypot(a.x - b.x, a.y - b.y);
  }
  export namespace Units {
    export const metre = 'm';
  }
}
namespace Geo {
  export const merged = 'second block merges into the first';
  export async function describe() {
    return `${await distance({ x: 3, y: 4 })}${Units.metre}`;
  }
}
namespace A.B.C {
  export const deep = 'dotted namespace';
}
(async () => {
  console.log(await Geo.describe(), Geo.merged, A.B.C.deep, Object.keys(Geo).sort());
})();
