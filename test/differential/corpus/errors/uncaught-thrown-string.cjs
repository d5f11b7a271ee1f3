setTimeout(() => { throw 'thrown string from a timer'; }, 5);
