await: for (var i = 0; i < 3; i++) {
  yieldLabel: for (var j = 0; j < 3; j++) {
    if (j === 1) continue await;
    console.log(i, j);
  }
}
async function f() {
  outer: for (const x of [1, 2, 3]) {
    inner: for (const y of [1, 2, 3]) {
      await null;
      if (y === 2) continue outer;
      if (x === 3) break outer;
      console.log('xy', x, y);
    }
  }
  return 'labels done';
}
f().then(console.log);
