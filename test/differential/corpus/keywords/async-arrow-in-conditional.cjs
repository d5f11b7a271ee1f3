const pick = (flag) => flag ? async () => 'then-branch' : async function () { return 'else-branch'; };
const seq = (0, async () => 'comma');
const nested = async () => async () => async () => 'deep';
(async () => {
  console.log(await pick(true)(), await pick(false)(), await seq(), await (await (await nested())())());
})();
