// Text a sensor sent, made safe to write in a log line: a node's name or error message can carry newlines
// (a forged log line), terminal escapes, bidi overrides (text that reads backwards) or 200 kB. Control, bidi
// and line-separator characters are escaped as \n, \t or \uXXXX, and the result is cut to `max` characters
// with an ellipsis, so that one sensor's string is one bounded piece of one line.

/** C0, DEL, C1, LRM/RLM, the line and paragraph separators, the bidi embeddings/overrides and isolates. */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

export const PRINTABLE_MAX = 200;

export function printable(text: unknown, max = PRINTABLE_MAX): string {
  const s = typeof text === 'string' ? text : String(text);
  // Escaping never shortens: only the first `max` characters can end up in the result.
  const head = s.length > max ? s.slice(0, max) : s;
  const escaped = head.replace(UNPRINTABLE, (c) => NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return escaped.length > max || s.length > max ? `${escaped.slice(0, max)}…` : escaped;
}
