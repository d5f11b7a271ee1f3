import { promisify } from 'node:util';
const sleep = promisify(setTimeout);
const tick = promisify(setImmediate);
console.log(await sleep(10, 'custom promisify keeps the value'), await tick('immediate value'));
