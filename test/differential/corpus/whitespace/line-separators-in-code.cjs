// U+2028 and U+2029 are line terminators in JavaScript source: async function afterLs() { await null; return new Error('ls').stack.split('\n')[1].trim().split(':').slice(-2).join(':'); }
const s = 'a b c';
afterLs().then((pos) => console.log(pos, s.length, JSON.stringify(s)));
