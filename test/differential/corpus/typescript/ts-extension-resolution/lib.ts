export const fromJsSpecifier = async () => 'imported ./lib.js, found lib.ts';
