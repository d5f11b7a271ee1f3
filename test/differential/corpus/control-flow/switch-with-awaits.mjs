async function classify(v) {
  switch (await Promise.resolve(typeof v)) {
    case 'number': {
      const doubled = await Promise.resolve(v * 2);
      return `number ${doubled}`;
    }
    case await Promise.resolve('string'):
      return 'string';
    case 'object':
      if (v === null) return 'null';
    // falls through
    default:
      await null;
      return 'other';
  }
}
console.log(await Promise.all([1, 'a', null, {}, undefined].map(classify)));
