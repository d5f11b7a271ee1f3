const tick = () => new Promise((r) => setImmediate(r));
async function scan(grid) {
  const seen = [];
  rows: for (let r = 0; r < grid.length; r++) {
    cols: for (const cell of grid[r]) {
      await tick();
      if (cell === 'skip-row') continue rows;
      if (cell === 'stop') break rows;
      if (cell === 'skip') continue cols;
      seen.push(cell);
    }
  }
  block: {
    await tick();
    if (seen.length > 2) break block;
    seen.push('not reached');
  }
  let n = 0;
  loop: while (true) {
    do {
      n++;
      await null;
      if (n % 2) continue loop;
    } while (n < 3);
    if (n > 5) break loop;
  }
  return [seen, n];
}
scan([['a', 'skip', 'b'], ['skip-row', 'x'], ['c', 'stop', 'd'], ['e']]).then((r) => console.log(JSON.stringify(r)));
