process.removeAllListeners('warning');
process.on('warning', (w) => console.error('warning:', w.name, w.message));
const { data, dynamic } = await import('./uses-with.mjs');
console.log(data.name, data.nested.ok, dynamic.name === data.name);
