import { csvCell } from '../access-report.js';
import { ACCESS_WIDTHS, authnReasonText, authnTokenText, cell, deniedRuleText, type ReportFormat } from '../queries/get-access-report/report-format.js';
import { ABSENT, KINDS, type ChunkDigest, type NumberColumn, type TextColumn } from './chunk-digest.js';

/**
 * A chunk's access rows as report lines, straight from its columns: what `rowText` prints for the row
 * the fold would have built, byte for byte, in each format (the property test in
 * test/compliance/report-fast-path.test.ts holds it to the first implementation). Materialising a row
 * object per line and formatting it cost about 3 µs a row; here each distinct string of the chunk is
 * escaped once (a dictionary entry), and a line is a few concatenations.
 */

/** Row `i` of a chunk as one line of `format` (with its newline). */
export type LineOf = (i: number) => string;

/** The formatter of `digest`'s rows in `format`. */
export const linesOf = (digest: ChunkDigest, format: ReportFormat): LineOf => (format === 'json' ? jsonLines(digest) : format === 'csv' ? csvLines(digest) : tableLines(digest));

/** Per row, the text of a column through `escape` (each dictionary entry escaped once, on first use), or `absent`. */
const escapedColumn = (digest: ChunkDigest, column: TextColumn, escape: (text: string) => string, absent: string): ((i: number) => string) => {
  const codes = digest.text[column];
  const dictionary = digest.dictionaries[column];
  const done: (string | undefined)[] = new Array<string | undefined>(dictionary.length);
  return (i) => {
    const code = codes[i] as number;
    if (code === ABSENT) return absent;
    return (done[code] ??= escape(dictionary[code] as string));
  };
};

/** Per row, the raw text of a column, or undefined. */
const textColumn = (digest: ChunkDigest, column: TextColumn): ((i: number) => string | undefined) => {
  const codes = digest.text[column];
  const dictionary = digest.dictionaries[column];
  return (i) => {
    const code = codes[i] as number;
    return code === ABSENT ? undefined : dictionary[code];
  };
};

/** Per row, a number column, or undefined (NaN in the column). */
const numberColumn = (digest: ChunkDigest, column: NumberColumn): ((i: number) => number | undefined) => {
  const values = digest.numbers[column];
  return (i) => {
    const v = values[i] as number;
    return Number.isNaN(v) ? undefined : v;
  };
};

/**
 * Per row, the `at` text the event held, through `escape`: from its time (the last one converted is
 * kept, as neighbouring rows often share a millisecond), or from the dictionary when it was not in
 * toISOString form.
 */
export const atColumn = (digest: ChunkDigest, escape: (text: string) => string = (t) => t): ((i: number) => string) => {
  const ms = digest.numbers.atMs;
  const text = escapedColumn(digest, 'at', escape, '');
  let lastMs = Number.NaN;
  let lastText = '';
  return (i) => {
    const t = ms[i] as number;
    if (Number.isNaN(t)) return text(i);
    if (t !== lastMs) {
      lastMs = t;
      lastText = escape(new Date(t).toISOString());
    }
    return lastText;
  };
};

/** A number as a CSV cell: csvCell's text, without its tests for the numbers that need none (not negative). */
const csvNumber = (v: number): string => (v >= 0 ? String(v) : csvCell(v));

/** JSON lines: the keys in rowOf's order (src/compliance/report-fold.ts), values as JSON.stringify writes them. */
const jsonLines = (digest: ChunkDigest): LineOf => {
  const field = (column: TextColumn, key: string): ((i: number) => string) => escapedColumn(digest, column, (t) => `,"${key}":${JSON.stringify(t)}`, '');
  const number = (column: NumberColumn, key: string): ((i: number) => string) => {
    const get = numberColumn(digest, column);
    return (i) => {
      const v = get(i);
      return v === undefined ? '' : `,"${key}":${JSON.stringify(v)}`;
    };
  };
  const at = atColumn(digest, (t) => JSON.stringify(t));
  const { position } = digest.numbers;
  const [principal, tokenId, via, env, secret, rule, capability, reason] = (
    [['principal', 'principal'], ['tokenId', 'tokenId'], ['interface', 'interface'], ['env', 'env'], ['secret', 'secret'], ['rule', 'rule'], ['capability', 'capability'], ['reason', 'reason']] as const
  ).map(([c, k]) => field(c, k)) as [(i: number) => string, (i: number) => string, (i: number) => string, (i: number) => string, (i: number) => string, (i: number) => string, (i: number) => string, (i: number) => string];
  const version = number('version', 'version');
  const asOf = number('asOf', 'asOf');
  const count = number('count', 'count');
  return (i) => {
    const kind = KINDS[digest.kind[i] as number];
    const start = `{"kind":"${kind}","position":${position[i] as number},"at":${at(i)}`;
    if (kind === 'authn-failed') return `${start}${via(i)}${tokenId(i)}${reason(i)}${count(i)}}\n`;
    const common = `${start}${principal(i)}${tokenId(i)}${via(i)}${env(i)}${secret(i)}`;
    return kind === 'read' ? `${common}${version(i)}${rule(i)}${asOf(i)}}\n` : `${common}${capability(i)}${rule(i)}${reason(i)}}\n`;
  };
};

/** CSV: REPORT_COLUMNS in order (src/compliance/access-report.ts); an access row leaves the five summary columns empty. */
const csvLines = (digest: ChunkDigest): LineOf => {
  const [principal, tokenId, via, env, secret, capability, rule, reason] = (['principal', 'tokenId', 'interface', 'env', 'secret', 'capability', 'rule', 'reason'] as const).map((c) =>
    escapedColumn(digest, c, csvCell, ''),
  ) as [(i: number) => string, (i: number) => string, (i: number) => string, (i: number) => string, (i: number) => string, (i: number) => string, (i: number) => string, (i: number) => string];
  const version = numberColumn(digest, 'version');
  const asOf = numberColumn(digest, 'asOf');
  const count = numberColumn(digest, 'count');
  const at = atColumn(digest, csvCell);
  const { position } = digest.numbers;
  return (i) => {
    const kind = KINDS[digest.kind[i] as number] as string;
    const v = version(i);
    const a = asOf(i);
    const n = count(i);
    return `${kind},${position[i] as number},${at(i)},${principal(i)},${tokenId(i)},${via(i)},${env(i)},${secret(i)},${v === undefined ? '' : csvNumber(v)},${capability(i)},${rule(i)},${reason(i)},${a === undefined ? '' : csvNumber(a)},${n === undefined ? '' : csvNumber(n)},,,,,\n`;
  };
};

/** The accesses table (report-format.ts, cellsOf and tableRow): cells padded to ACCESS_WIDTHS, one space apart, the line's end trimmed. */
const tableLines = (digest: ChunkDigest): LineOf => {
  const w = (column: number): number => ACCESS_WIDTHS[column] as number;
  const padded = (column: TextColumn, width: number): ((i: number) => string) => escapedColumn(digest, column, (t) => cell(t, width), cell(undefined, width));
  const principal = padded('principal', w(2));
  const via = padded('interface', w(3));
  const env = padded('env', w(4));
  const secret = padded('secret', w(5));
  const readRule = padded('rule', w(7));
  const text = Object.fromEntries((['tokenId', 'capability', 'rule', 'reason'] as const).map((c) => [c, textColumn(digest, c)])) as Record<'tokenId' | 'capability' | 'rule' | 'reason', (i: number) => string | undefined>;
  const version = numberColumn(digest, 'version');
  const asOf = numberColumn(digest, 'asOf');
  const count = numberColumn(digest, 'count');
  const at = atColumn(digest, (t) => cell(t, w(0)));
  const [noEnv, noSecret, noVersion, noAsOf] = [4, 5, 6, 8].map((c) => cell(undefined, w(c))) as [string, string, string, string];
  const outcome = { read: cell('read', w(1)), denied: cell('denied', w(1)), 'authn-failed': cell('authn', w(1)) };
  return (i) => {
    const kind = KINDS[digest.kind[i] as number] as (typeof KINDS)[number];
    const start = `${at(i)} ${outcome[kind]} `;
    let line: string;
    if (kind === 'read') line = `${start}${principal(i)} ${via(i)} ${env(i)} ${secret(i)} ${cell(version(i), w(6))} ${readRule(i)} ${cell(asOf(i), w(8))}`;
    else if (kind === 'denied') line = `${start}${principal(i)} ${via(i)} ${env(i)} ${secret(i)} ${noVersion} ${cell(deniedRuleText(text.capability(i), text.reason(i), text.rule(i)), w(7))} ${noAsOf}`;
    else line = `${start}${cell(authnTokenText(text.tokenId(i)), w(2))} ${via(i)} ${noEnv} ${noSecret} ${noVersion} ${cell(authnReasonText(text.reason(i), count(i)), w(7))} ${noAsOf}`;
    return `${line.trimEnd()}\n`;
  };
};
