import Helper = require('./helper');
import os = require('node:os');
import type OsType = require('node:os');
const h = new Helper();
h.run().then((r) => console.log(r, typeof os.platform, typeof require));
