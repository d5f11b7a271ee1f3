const setup = () => { throw new Error('top-level failure in CommonJS'); };
console.log('before');
setup();
