let data = '';
for await (const chunk of process.stdin) data += chunk;
console.log('stdin had', data.length, 'characters');
