/**
 * Name patterns for policies: segments separated by `/`; `*` matches any characters within one
 * segment, `?` one character, and a whole segment `**` matches any number of segments (zero or more).
 * `payments/*` matches `payments/db` but not `payments/eu/db`; `payments/**` matches both and
 * `payments` itself. Environment patterns are single segments (`*`, `prod`, `prod-*`).
 *
 * Hand-written rather than picomatch or minimatch: besides matching, the privilege check needs to reason
 * about patterns themselves (does one pattern cover another, can two overlap), which those libraries do
 * not offer, and our grammar is small enough to do both over one representation.
 */

const SEGMENT_CHARS = /^[A-Za-z0-9_.@*?-]+$/;

/** Checks a pattern's grammar; returns an error message, or null when it is valid. */
export const patternProblem = (pattern: string, kind: 'secret' | 'environment'): string | null => {
  if (pattern.length === 0 || pattern.length > 256) return 'a pattern is 1-256 characters';
  const segments = pattern.split('/');
  if (kind === 'environment' && segments.length > 1) return 'an environment pattern has no "/"';
  for (const segment of segments) {
    if (segment.length === 0) return 'a pattern has no empty segments (no leading, trailing or double "/")';
    if (segment.includes('**') && segment !== '**') return '"**" must be a whole segment (e.g. "payments/**")';
    if (!SEGMENT_CHARS.test(segment)) return 'a pattern may contain letters, digits, "_", ".", "@", "-", "*", "?" and "/"';
  }
  return null;
};

const escape = (c: string): string => c.replace(/[.+^${}()|[\]\\-]/g, '\\$&');

const segmentSource = (segment: string): string =>
  [...segment].map((c) => (c === '*' ? '[^/]*' : c === '?' ? '[^/]' : escape(c))).join('');

// A pattern's segments, with runs of double-star segments collapsed (two in a row mean the same as one).
const segmentsOf = (pattern: string): string[] => pattern.split('/').filter((s, i, all) => !(s === '**' && all[i - 1] === '**'));

/** A compiled pattern: test a name against it. */
export const compilePattern = (pattern: string): RegExp => {
  const segments = segmentsOf(pattern);
  const last = segments.length - 1;
  let source = '';
  segments.forEach((segment, i) => {
    if (segment !== '**') {
      // A segment after a leading `**` needs no separator: `(?:[^/]+/)*` already ends with one.
      const separator = i === 0 || (i === 1 && segments[0] === '**') ? '' : '/';
      source += separator + segmentSource(segment);
    } else if (i === 0) {
      source += last === 0 ? '.*' : '(?:[^/]+/)*';
    } else {
      source += i === last ? '(?:/.*)?' : '(?:/[^/]+)*';
    }
  });
  return new RegExp(`^${source}$`);
};

const isLiteral = (segment: string): boolean => !segment.includes('*') && !segment.includes('?');

/** Does segment pattern `outer` match every name segment `inner` matches? Sound, not complete. */
const segmentCovers = (outer: string, inner: string): boolean => {
  if (outer === inner || outer === '*') return inner !== '**';
  if (isLiteral(inner)) return compilePattern(outer).test(inner);
  return false;
};

/**
 * Does `outer` match every name that `inner` matches? Used to refuse grants a principal does not hold.
 * Sound (a `true` is always right); it may answer `false` for exotic pairs that are in fact covered,
 * which only makes the check stricter.
 */
export const patternCovers = (outer: string, inner: string): boolean => {
  const o = segmentsOf(outer);
  const n = segmentsOf(inner);
  const memo = new Map<string, boolean>();
  const covers = (i: number, j: number): boolean => {
    const key = `${i},${j}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let result: boolean;
    if (i === o.length) result = j === n.length;
    else if (o[i] === '**') result = covers(i + 1, j) || (j < n.length && covers(i, j + 1));
    else if (j === n.length || n[j] === '**') result = false;
    else result = segmentCovers(o[i] as string, n[j] as string) && covers(i + 1, j + 1);
    memo.set(key, result);
    return result;
  };
  return covers(0, 0);
};

/**
 * Could some name match both patterns? Conservative: `false` only when two literal segments at the
 * same depth differ before any `**` (so the patterns are surely disjoint).
 */
export const patternsMayOverlap = (a: string, b: string): boolean => {
  const x = segmentsOf(a);
  const y = segmentsOf(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const s = x[i] as string;
    const t = y[i] as string;
    if (s === '**' || t === '**') return true;
    if (isLiteral(s) && isLiteral(t) && s !== t) return false;
    if (isLiteral(s) && !isLiteral(t) && !compilePattern(t).test(s)) return false;
    if (isLiteral(t) && !isLiteral(s) && !compilePattern(s).test(t)) return false;
  }
  // Without `**`, names have exactly as many segments as the pattern.
  return x.length === y.length || x.includes('**') || y.includes('**');
};
