// Neither import/export nor require: only a top-level await decides the format.
const value = await new Promise((resolve) => setTimeout(resolve, 5, 'awaited at top level'));
console.log(value, typeof module);
