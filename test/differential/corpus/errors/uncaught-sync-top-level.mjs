const setup = () => { throw new Error('top-level failure in an ES module'); };
console.log('before');
setup();
