// Text from a trace (task and file names, error messages, marks, script arguments) is the
// profiled program's, and a trace may come from anyone: printed raw, an escape sequence in a
// method name could retitle, clear or rewrite the terminal of whoever runs `report`. Every
// printer passes such text through here. Escaping each control character (C0, DEL, C1) is
// enough to defuse every escape sequence, since each one starts with ESC or with C1's CSI; the
// characters are shown escaped ("\x1b"), so the reader still sees that they were there.
// Bidirectional overrides are escaped too: they reorder what the terminal shows.

const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// The same but keeping line breaks and tabs, for whole blocks of our own output.
const UNSAFE_IN_BLOCK = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// Colour and style, as picocolors and our reporters write them: \x1b[...m and nothing else.
const SGR = /\u001b\[[0-9;]*m/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeChar(ch: string): string {
  const named = NAMED[ch];
  if (named) return named;
  const code = ch.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Longest piece of trace text shown on a terminal line; the rest is counted, not printed. */
export const MAX_TERMINAL_TEXT = 500;

/**
 * One piece of text from a trace, fit for one line of a terminal: control characters and line
 * breaks shown escaped, and at most `max` characters (a 50 MB error message is not a report).
 */
export function terminalText(text: unknown, max = MAX_TERMINAL_TEXT): string {
  let s = typeof text === 'string' ? text : String(text);
  let more = 0;
  if (s.length > max) {
    more = s.length - max;
    s = s.slice(0, max);
  }
  const safe = s.replace(UNSAFE, escapeChar);
  return more > 0 ? `${safe}… (${more.toLocaleString('en-US')} more characters)` : safe;
}

/**
 * A whole block of output on its way to a terminal: line breaks and tabs stay, our own colours
 * stay when `keepColor` (they are \x1b[...m only), every other control character is escaped.
 * The last guard for text that did not pass through terminalText (a source line read from disk).
 */
export function terminalBlock(text: string, keepColor: boolean): string {
  if (!keepColor) return text.replace(UNSAFE_IN_BLOCK, escapeChar);
  let out = '';
  let last = 0;
  for (const match of text.matchAll(SGR)) {
    out += text.slice(last, match.index).replace(UNSAFE_IN_BLOCK, escapeChar) + match[0];
    last = match.index + match[0].length;
  }
  return out + text.slice(last).replace(UNSAFE_IN_BLOCK, escapeChar);
}
