function buildLabel(name: string) {
  return buildLabel.prefix + name;
}
namespace buildLabel {
  export let prefix = 'label:';
}
enum Color { Red, Green }
namespace Color {
  export function parse(s: string): Color { return (Color as any)[s]; }
}
class Album { static make() { return new Album(); } }
namespace Album {
  export const kind = 'merged with class';
  export async function load() { await null; return Album.make(); }
}
(async () => {
  console.log(buildLabel('x'), Color.parse('Green'), Album.kind, (await Album.load()) instanceof Album);
})();
