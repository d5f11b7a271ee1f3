// Dependency-injection containers (awilix, angular 1) read parameter names from fn.toString().
function paramNames(fn) {
  const src = fn.toString();
  const inside = src.slice(src.indexOf('(') + 1, src.indexOf(')'));
  return inside.split(',').map((s) => s.trim().split('=')[0].trim()).filter(Boolean);
}
async function makeService(database, logger, clock) { return { database, logger, clock }; }
const handler = async (request, response) => response;
class Controller { constructor(service, cache) { this.service = service; } async handle(req, res) { return req; } }
console.log(paramNames(makeService), paramNames(handler), paramNames(Controller), paramNames(Controller.prototype.handle));
const registry = { database: 'db', logger: 'log', clock: 'clock' };
makeService(...paramNames(makeService).map((n) => registry[n])).then((s) => console.log(s));
