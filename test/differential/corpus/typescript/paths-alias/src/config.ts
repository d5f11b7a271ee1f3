export default { name: 'aliased config' };
