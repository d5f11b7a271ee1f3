Error.stackTraceLimit = 2; // only this file's frames: Node prints them with the source line and caret
function validate(input) {
  if (typeof input !== 'number') throw new TypeError(`expected a number, got ${typeof input}`);
}
validate('text');
