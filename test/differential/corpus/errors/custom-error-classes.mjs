class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
  }
}
class NotFound extends HttpError { constructor(what) { super(404, `${what} not found`); } }
const find = async (what) => { await null; throw new NotFound(what); };
try {
  await find('page');
} catch (e) {
  console.log(e instanceof HttpError, e.name, e.status, e.message, String(e), e.stack.split('\n')[0]);
}
