async function* resource() {
  try {
    yield 1;
    yield 2;
  } finally {
    console.log('closing');
    await new Promise((r) => setTimeout(r, 20));
    console.log('closed');
  }
}
for await (const v of resource()) {
  console.log('use', v);
  break;
}
console.log('after loop: the loop waited for the generator to close');
