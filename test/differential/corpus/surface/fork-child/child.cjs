process.send({ execArgv: process.execArgv, argv: process.argv.slice(2), envKeys: Object.keys(process.env).filter((k) => !k.startsWith('NODE_CHANNEL')).sort() });
console.log('child stdout line');
