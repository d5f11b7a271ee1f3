// Seed 000, Exercise 1: Coffee Shop Simulator.
// Three baristas make an espresso (3 s), a latte (5 s) and a cappuccino (4 s) at the same time
// with Promise.all (the TypeScript asyncio.gather).
// Timeline: three tasks (makeEspresso, makeLatte, makeCappuccino) start together and overlap;
// the wall time of coffeeShop equals the longest one, 5.0 s, not the 12 s sum.
import { sleep } from './lib/env.js';
import { runMain, stopwatch } from './lib/course.js';

async function makeDrink(drink: string, seconds: number): Promise<string> {
  console.log(`Starting to make ${drink}...`);
  await sleep(seconds);
  console.log(`${drink} is ready!`);
  return drink;
}

async function makeEspresso(): Promise<string> {
  return makeDrink('Espresso', 3);
}

async function makeLatte(): Promise<string> {
  return makeDrink('Latte', 5);
}

async function makeCappuccino(): Promise<string> {
  return makeDrink('Cappuccino', 4);
}

async function coffeeShop(): Promise<void> {
  const elapsed = stopwatch();
  await Promise.all([makeEspresso(), makeLatte(), makeCappuccino()]);
  console.log(`All drinks prepared in ${elapsed().toFixed(1)} seconds`);
}

runMain(coffeeShop);
