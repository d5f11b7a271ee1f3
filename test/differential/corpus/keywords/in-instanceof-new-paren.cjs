class Box { constructor(v) { this.v = v; } }
async function f() {
  const b = new(Box)(await 1);
  const checks = ['v'in(b), b instanceof(Box), typeof(new(Box)(2)).v];
  switch(await 2) {
    case(1): return 'one';
    case(2): return checks;
  }
}
f().then(console.log);
