var async = function () { return 'async identifier called'; };
async
function notAsync() { return 'plain'; }
const r = notAsync();
console.log(typeof r === 'string' ? 'declaration is sync' : 'became async', r);
console.log(async());
