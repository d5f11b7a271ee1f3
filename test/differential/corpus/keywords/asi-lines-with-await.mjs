const a = 1
const b = await Promise.resolve(a)
;[a, b].forEach((x) => console.log('item', x))
const c = b
+ await Promise.resolve(10)
const d = c
/ 2
const t = `${d}`
;(await Promise.resolve(() => console.log('iife', t)))()
let e = 5
e
++
e
console.log(a, b, c, d, e)
