import { add } from '#helpers/math.js';
import { names } from '~/lib/names.js';
console.log(await add(2, 3), names.join('+'));
