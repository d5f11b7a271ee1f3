import data from './data.json' assert { type: 'json' };
export default data;
