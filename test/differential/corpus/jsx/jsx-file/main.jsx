// tsx compiles .jsx with React.createElement whatever tsconfig says; both names print which one ran.
function createElement(type, props, ...children) {
  console.log('createElement', typeof type === 'string' ? type : type.name, JSON.stringify(props), children.length);
  return { type, props, children };
}
const React = {
  createElement(type, props, ...children) {
    console.log('React.createElement', typeof type === 'string' ? type : type.name, JSON.stringify(props), children.length);
    return { type, props, children };
  },
  Fragment: 'Fragment',
};
const Button = ({ label }) => <button type="button">{label}</button>;
const later = async () => <div>{await Promise.resolve(<Button label="ok" />)}</div>;
later().then((el) => console.log('rendered', el.type));
