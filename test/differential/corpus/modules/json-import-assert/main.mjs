// Warnings print the process id, so they are reported without it; the import runs after the listener is set.
process.removeAllListeners('warning');
process.on('warning', (w) => console.error('warning:', w.name, w.message));
const { default: data } = await import('./uses-assert.mjs');
console.log(data.name, data.items.length);
