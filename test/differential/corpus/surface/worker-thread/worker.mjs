import { parentPort, workerData, isMainThread } from 'node:worker_threads';
const double = async (x) => { await null; return x * 2; };
parentPort.postMessage({ result: await double(workerData), isMainThread, execArgv: process.execArgv });
