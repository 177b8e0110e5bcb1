// Strings with an unpaired UTF-16 surrogate cannot be stored as they are: SQLite keeps UTF-8, and the lone half
// reads back as U+FFFD, a different string from the one a hash or a check saw. (String.prototype.toWellFormed
// does the same from ES2024; the project's lib is ES2023.)
const LONE_SURROGATE = /\p{Cs}/u;
const LONE_SURROGATES = /\p{Cs}/gu;

export function isWellFormed(s: string): boolean {
  return !LONE_SURROGATE.test(s);
}

/** The string with each unpaired surrogate replaced by U+FFFD, as it will read back from the database. */
export function toWellFormed(s: string): string {
  return s.replace(LONE_SURROGATES, '\uFFFD');
}

/**
 * The path (`a.b.2`) of the first string in a value (its object keys too) that is not well-formed, or null.
 * Walks at most `maxNodes` nodes: contract inputs are small, zod has bounded them already.
 */
export function illFormedPath(value: unknown, maxNodes = 100_000): string | null {
  const stack: Array<{ v: unknown; path: string[] }> = [{ v: value, path: [] }];
  let seen = 0;
  while (stack.length && seen++ < maxNodes) {
    const { v, path } = stack.pop()!;
    if (typeof v === 'string') {
      if (!isWellFormed(v)) return path.join('.') || 'input';
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], path: [...path, String(i)] });
    } else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (!isWellFormed(k)) return [...path, toWellFormed(k)].join('.');
        stack.push({ v: x, path: [...path, k] });
      }
    }
  }
  return null;
}
