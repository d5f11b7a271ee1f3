const f = async () => {
  'use strict'
  await null;
  try {
    Object.defineProperty({}, 'x', { value: 1 }).x = 2;
    console.log('no error: frozen write ignored');
  } catch (error) {
    console.log('strict arrow threw', error.constructor.name);
  }
};
const g = async function () {
  "use strict"; await null; return delete Object.prototype;
};
f().then(() => g()).then(console.log, (e) => console.log('g threw', e.constructor.name));
