export const one = 1;
export const two = 2;
const hidden = 'string name';
export { hidden as 'a string-named export' };
export default 'parts default';
