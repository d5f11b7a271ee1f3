// A lazy query object (knex, mongoose style): it runs when `then` is called, once per call.
let runs = 0;
class Query {
  constructor(sql) { this.sql = sql; }
  where(c) { this.sql += ' WHERE ' + c; return this; }
  then(resolve, reject) {
    runs++;
    console.log('executing', this.sql);
    return Promise.resolve({ rows: [this.sql.length] }).then(resolve, reject);
  }
}
const select = (t) => new Query('SELECT * FROM ' + t);
async function findUsers() { return select('users').where('active'); }
async function findOrders() { const r = await select('orders'); return r.rows; }
const direct = await select('direct');
console.log(direct.rows, 'runs', runs);
console.log((await findUsers()).rows, 'runs', runs);
console.log(await findOrders(), 'runs', runs);
const [x, y] = await Promise.all([select('a'), findUsers()]);
console.log(x.rows, y.rows, 'runs', runs);
