// The viewer's HTML page from its template: linked assets for the server, everything inline for
// the self-contained export. The template marks the slots with <!--async-prof:NAME-->.

export interface PageParts {
  csp: string;
  style: string;
  data: string;
  script: string;
}

export function renderPage(template: string, parts: PageParts): string {
  // A replacer function: the inserted text is used as is ($-patterns in it mean nothing).
  return template.replace(/<!--async-prof:(csp|style|data|script)-->/g, (_, name: keyof PageParts) => parts[name]);
}

/** Content-Security-Policy of the served page: only its own script, style and data. */
export const SERVED_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export function servedPage(template: string): string {
  return renderPage(template, {
    csp: '',
    style: '<link rel="stylesheet" href="style.css">',
    data: '',
    script: '<script src="app.js"></script>',
  });
}

/** Inline <script> content must not close its element early. */
export function escapeInlineScript(code: string): string {
  return code.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

export function escapeInlineStyle(css: string): string {
  return css.replace(/<\/(style)/gi, '<\\/$1');
}
