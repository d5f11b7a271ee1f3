async function f() {
  const results = [];
  for (let i = 0; i < 3; i++) {
    await null;
    results.push(async () => i);
  }
  for (var j = 0; j < 3; j++) {
    await null;
    results.push(async () => j);
  }
  return Promise.all(results.map((fn) => fn()));
}
f().then((r) => console.log(r));
