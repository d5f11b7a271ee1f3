// Both runs get the same environment from the harness; anything added on the way shows.
console.log(Object.keys(process.env).sort());
console.log(process.env.NODE_OPTIONS === undefined ? 'no NODE_OPTIONS' : 'NODE_OPTIONS=' + process.env.NODE_OPTIONS);
