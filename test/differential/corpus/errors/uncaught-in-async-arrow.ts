const fetchThing = async (id: number): Promise<string> => {
  await new Promise((r) => setTimeout(r, 5));
  if (id > 1) throw new RangeError(`id ${id} out of range`);
  return 'thing';
};
const run = async () => {
  console.log(await fetchThing(1));
  console.log(await fetchThing(2));
};
run();
