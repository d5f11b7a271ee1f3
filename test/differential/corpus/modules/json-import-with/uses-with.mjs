import data from './data.json' with { type: 'json' };
const dynamic = (await import('./data.json', { with: { type: 'json' } })).default;
export { data, dynamic };
