export default async function namedDefault() { return 'named default'; }
