type Step = (n: number) => Promise<number>;
const step: Step = async (n) => {
  await null;
  if (n === 0) throw new Error('reached zero');
  return step(n - 1);
};
async function run(): Promise<void> {
  try {
    await step(2);
  } catch (error) {
    // Only this file's frames: tsx's own loader frames are not the program's.
    const lines = (error as Error).stack!.split('\n').filter((l, i) => i === 0 || l.includes('error-stack-printed.mts'));
    console.log(lines.join('\n'));
  }
}
await run();
