const café = async (ñ) => { await null; return ñ + '!'; };
const ℮ = 'estimated';
const \u0061wait2 = 'escaped identifier';
class Ünïcödé { async ñame() { return 'method ' + ℮; } }
console.log(await café('olé'), await new Ünïcödé().ñame(), \u0061wait2, café.name, Ünïcödé.name);
