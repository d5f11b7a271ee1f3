'use strict'
async function main() {
  await null;
  const e = new Error('crlf');
  console.log(e.stack.split('\n')[1].trim().split(':').slice(-2).join(':'));
  return 'crlf ok';
}
main().then(console.log);
