class Token {
  #id;
  constructor(id) { this.#id = id; }
  static isToken(o) { return #id in o; }
  async describe() { await null; return `token ${this.#id}`; }
}
const t = new Token(7);
console.log(Token.isToken(t), Token.isToken({}), await t.describe());
try {
  await Token.prototype.describe.call({});
} catch (error) {
  console.log(error.constructor.name, error.message);
}
