'use strict'
async function fetchAll() { return ['a']; }
const helper = () => 'helper';
module.exports = { fetchAll, helper, constant: 1 };
Object.defineProperty(exports, '__esModule', { value: true });
