Error.stackTraceLimit = 2; // the frames below would be tsx's own loader
interface Config { name: string }
const setup = (c: Config): never => { throw new Error('top-level failure in TypeScript: ' + c.name); };
console.log('before');
setup({ name: 'cfg' });
