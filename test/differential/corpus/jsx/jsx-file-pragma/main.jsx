/** @jsx tag */
function tag(type, props, ...children) {
  console.log('tag', type, props === null ? 'null' : Object.keys(props).join(','), children.length);
  return `<${type}>${children.join('')}</${type}>`;
}
async function html() {
  const text = await Promise.resolve('async text');
  return <main><h1 class="title">{text}</h1></main>;
}
html().then(console.log);
