const env = { Promise: 'not a promise', value: 10, setTimeout: () => 'fake timer' };
with (env) {
  var compute = async function () {
    await null;
    return [typeof Promise, value, setTimeout()];
  };
}
compute().then((r) => console.log(r));
