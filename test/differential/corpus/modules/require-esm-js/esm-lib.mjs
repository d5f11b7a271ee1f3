export const named = async () => 'named export from an ES module';
export default { kind: 'default export' };
