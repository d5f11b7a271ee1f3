export default async function () { return 'anonymous default'; }
