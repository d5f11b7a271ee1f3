const Fragment = 'FRAGMENT';
function h(type: any, props: Record<string, unknown> | null, ...children: unknown[]) {
  const name = typeof type === 'function' ? type.name : String(type);
  console.log('h', name, props === null ? 'null' : Object.keys(props).join(','), children.length);
  return { type: name, props, children };
}
const Item = (props: { label: string }) => <li class="item">{props.label}</li>;
async function render() {
  const label = await Promise.resolve('async label');
  return (
    <ul id="list" data-x={1}>
      <Item label={label} />
      <>fragment child</>
    </ul>
  );
}
render().then((tree) => console.log(JSON.stringify(tree)));
