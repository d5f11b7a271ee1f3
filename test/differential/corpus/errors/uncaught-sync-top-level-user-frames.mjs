Error.stackTraceLimit = 2;
const validate = (input) => {
  if (!input) throw new Error('empty input');
};
await null;
validate('');
