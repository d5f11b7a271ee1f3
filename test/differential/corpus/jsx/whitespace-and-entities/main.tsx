function show(type: string, props: unknown, ...children: unknown[]) {
  return { type, children };
}
const name = 'world';
const tree = (
  <p>
    Hello,   {name}!
    Second line &amp; entity &lt;tag&gt; &#169; &nbsp;end
    {' '}
    <b> bold </b>   trailing
  </p>
);
(async () => {
  await null;
  console.log(JSON.stringify(tree));
})();
