async function f() { await null; return '😀 👍🏽 𝒳'; }
f().then((s) => { console.log(s, s.length, [...s].length); const e = new Error('after 😀 astral'); console.log(e.stack.split('\n')[1].trim().split(':').slice(-2).join(':')); });
