async function main() {
  await null;
  const o = { inner: 7 };
  with (o) {
    console.log('with inner', inner, 'octal', 010);
  }
}
main();
