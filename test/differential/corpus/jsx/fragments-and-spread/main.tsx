const Frag = 'Frag';
function make(type: any, props: any, ...children: any[]) {
  console.log(typeof type === 'string' ? type : type.name, props === null ? null : JSON.stringify(props), children.length);
  return { type, props, children };
}
const common = { a: 1, b: 2 };
const Comp = (p: any) => <div {...p} c={3} />;
async function run() {
  const extra = await Promise.resolve({ d: 4 });
  return (
    <Frag>
      <Comp {...common} {...extra} b={5} />
      <input disabled value="v" />
      {[1, 2].map((n) => <span key={n}>{n}</span>)}
      {null}{false}{undefined}{0}
    </Frag>
  );
}
run().then(() => console.log('done'));
