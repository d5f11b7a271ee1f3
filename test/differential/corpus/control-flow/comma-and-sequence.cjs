async function f() {
  let log = [];
  const v = (log.push('a'), await Promise.resolve(log.push('b')), log.push('c'), 'last');
  for (let i = 0, j = await Promise.resolve(3); i < j; i++, j--) log.push(i + ':' + j);
  return [v, log];
}
f().then((r) => console.log(JSON.stringify(r)));
