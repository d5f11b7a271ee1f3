class Account {
  constructor(public readonly id: number, private balance: number, protected owner = 'nobody', public tags: string[] = []) {}
  async deposit(amount: number) {
    await null;
    this.balance += amount;
    return this.balance;
  }
}
class Savings extends Account {
  constructor(id: number, public rate: number) {
    super(id, 100);
    console.log('after super, owner is', this.owner);
  }
}
(async () => {
  const s = new Savings(7, 0.5);
  console.log(await s.deposit(50), Object.keys(s), JSON.stringify(s));
})();
