/** @jsx el */
/** @jsxFrag Frag */
const Frag = 'frag';
function el(type: any, props: any, ...children: any[]) {
  console.log('el', typeof type === 'string' ? type : type.name, props && Object.keys(props), children.length);
  return [type, children];
}
const tree = (
  <>
    <a href="#">link</a>
  </>
);
(async () => {
  await null;
  console.log(JSON.stringify(tree));
})();
