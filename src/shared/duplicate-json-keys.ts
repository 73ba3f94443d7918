import { ErrorCode, StrongroomError } from './errors.js';

/**
 * The first key that appears twice in one object of a JSON text, as a dotted path (`metadata.owner`,
 * `items[2].name`), or undefined when every object's keys are distinct. `JSON.parse` keeps the last of
 * repeated keys silently, so `{"value":"first","value":"second"}` would store "second" while a proxy,
 * a log or a reviewer reading the first saw "first": such a text is ambiguous and refused.
 *
 * Hand-written rather than a library: the maintained JSON parsers that report duplicates build a full
 * syntax tree (several times JSON.parse's cost on every request); this one only walks the structure,
 * skipping each string with indexOf, so a large value costs a scan for its closing quote. Keys are
 * compared decoded (`"\u0061"` repeats `"a"`). The text must already be valid JSON (run it after
 * JSON.parse succeeded): nothing here checks the grammar.
 */
export const duplicateJsonKey = (text: string): string | undefined => {
  // Per open container: its keys seen so far (an object) or its next index (an array), and its path.
  const open: Array<{ keys: Set<string> | undefined; index: number; path: string }> = [];
  let pendingKey: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const end = closingQuote(text, i);
      const top = open[open.length - 1];
      let next = end + 1;
      while (next < text.length && isSpace(text.charCodeAt(next))) next++;
      if (top?.keys !== undefined && text.charCodeAt(next) === COLON) {
        const raw = text.slice(i + 1, end);
        const key = raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
        if (top.keys.has(key)) return joinPath(top.path, key);
        top.keys.add(key);
        pendingKey = key;
        i = next;
      } else {
        i = end;
      }
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      open.push({ keys: c === OPEN_BRACE ? new Set() : undefined, index: 0, path: childPath(open[open.length - 1], pendingKey) });
      pendingKey = undefined;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      open.pop();
    } else if (c === COMMA) {
      const top = open[open.length - 1];
      if (top !== undefined && top.keys === undefined) top.index++;
    }
  }
  return undefined;
};

/**
 * Refuses a JSON text that repeats a key in one object (see duplicateJsonKey).
 * @param what how the message names the text ("the request body", "the message", a file's path)
 * @throws INVALID_INPUT naming the key's path, never a value
 */
export const refuseDuplicateJsonKeys = (text: string, what: string): void => {
  const key = duplicateJsonKey(text);
  if (key !== undefined) throw duplicateKeyError(what, key);
};

/** The INVALID_INPUT error for a repeated key (the path is cut to 200 characters; values are never named). */
export const duplicateKeyError = (what: string, key: string): StrongroomError =>
  new StrongroomError(ErrorCode.InvalidInput, `${what} gives the key ${JSON.stringify(key.length > 200 ? `${key.slice(0, 200)}…` : key)} more than once: send each key once`, { key: key.slice(0, 200) });

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

const isSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/** The index of the quote closing the string opened at `start`: the next quote not escaped (preceded by an even run of backslashes). */
const closingQuote = (text: string, start: number): number => {
  let at = text.indexOf('"', start + 1);
  for (;;) {
    let slashes = 0;
    while (text.charCodeAt(at - 1 - slashes) === BACKSLASH) slashes++;
    if (slashes % 2 === 0 || at === -1) return at === -1 ? text.length : at;
    at = text.indexOf('"', at + 1);
  }
};

const joinPath = (path: string, key: string): string => (path === '' ? key : `${path}.${key}`);

const childPath = (parent: { keys: Set<string> | undefined; index: number; path: string } | undefined, key: string | undefined): string => {
  if (parent === undefined) return '';
  if (parent.keys === undefined) return `${parent.path}[${parent.index}]`;
  return joinPath(parent.path, key ?? '');
};
