<!-- an HTML-like comment is a line comment in sloppy scripts
async function f() { await null; return 'html comments'; }
f().then(console.log) /* a block comment, then on the next line: */
--> a closing HTML-like comment at the start of a line
  /* x */ --> also after whitespace and a comment
