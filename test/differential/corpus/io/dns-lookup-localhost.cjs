const dns = require('node:dns');
dns.promises.lookup('127.0.0.1').then((r) => console.log(r.address, r.family));
