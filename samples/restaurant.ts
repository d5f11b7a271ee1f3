// Seed 000, Exercise 4: Restaurant Order System.
// Four orders (Alice, Bob, Charlie, Diana) are processed at the same time; inside each order the
// appetizer (1-2 s), main course (3-5 s) and dessert (1-3 s) stations work at the same time too
// (nested Promise.all). Cooking times are drawn from SAMPLE_SEED.
// Timeline: four processOrder tasks overlap, each holding three overlapping station tasks
// (prepareAppetizer, prepareMainCourse, prepareDessert); an order ends with its slowest station,
// and the whole service ends with the slowest order, about 5 s, not the sum of all cooking times.
import { random, sleep } from './lib/env.js';
import { runMain, stopwatch } from './lib/course.js';

const rng = random();
const uniform = (low: number, high: number): number => low + (high - low) * rng();

let serviceClock: () => number = stopwatch();

async function station(dish: string, orderId: number, seconds: number): Promise<string> {
  console.log(`Preparing ${dish.toLowerCase()} for order ${orderId}...`);
  await sleep(seconds);
  console.log(`✓ ${dish} ready for order ${orderId} (${serviceClock().toFixed(1)}s)`);
  return dish;
}

async function prepareAppetizer(orderId: number, seconds: number): Promise<string> {
  return station('Appetizer', orderId, seconds);
}

async function prepareMainCourse(orderId: number, seconds: number): Promise<string> {
  return station('Main course', orderId, seconds);
}

async function prepareDessert(orderId: number, seconds: number): Promise<string> {
  return station('Dessert', orderId, seconds);
}

interface Order {
  id: number;
  customer: string;
  /** Cooking times in seconds, drawn before service starts so a seed always gives the same menu. */
  times: { appetizer: number; main: number; dessert: number };
}

async function processOrder(order: Order): Promise<number> {
  const elapsed = stopwatch();
  await Promise.all([
    prepareAppetizer(order.id, order.times.appetizer),
    prepareMainCourse(order.id, order.times.main),
    prepareDessert(order.id, order.times.dessert),
  ]);
  const orderTime = elapsed();
  console.log(`🔔 Order ${order.id} complete for ${order.customer}! (${orderTime.toFixed(1)}s)`);
  return orderTime;
}

async function restaurant(): Promise<void> {
  const orders: Order[] = (
    [
      [1, 'Alice'],
      [2, 'Bob'],
      [3, 'Charlie'],
      [4, 'Diana'],
    ] as const
  ).map(([id, customer]) => ({
    id,
    customer,
    times: { appetizer: uniform(1, 2), main: uniform(3, 5), dessert: uniform(1, 3) },
  }));

  console.log('=== Restaurant Opening ===');
  for (const order of orders) console.log(`Starting order ${order.id} for ${order.customer}`);
  console.log('');

  serviceClock = stopwatch();
  // Every order at once; each order runs its three stations at once.
  const orderTimes = await Promise.all(orders.map((order) => processOrder(order)));
  const total = serviceClock();

  const average = orderTimes.reduce((sum, t) => sum + t, 0) / orderTimes.length;
  console.log('\n=== Service Complete ===');
  console.log(`All orders served in ${total.toFixed(1)} seconds`);
  console.log(`Average order time: ${average.toFixed(1)} seconds`);
}

runMain(restaurant);
