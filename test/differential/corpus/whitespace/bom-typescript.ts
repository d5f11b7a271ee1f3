const v: string = 'BOM in TypeScript';
async function f(): Promise<string> { return v; }
f().then(console.log);
