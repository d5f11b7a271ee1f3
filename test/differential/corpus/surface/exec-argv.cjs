console.log(JSON.stringify(process.execArgv));
(async () => { await null; console.log(process.execArgv.length); })();
