import { csvCell } from '../access-report.js';
import { ACCESS_WIDTHS, authnReasonText, authnTokenText, cell, deniedRuleText, type ReportFormat } from '../queries/get-access-report/report-format.js';
import { IsoFormatter } from './iso-time.js';
import { ABSENT, KINDS, type AccessKind, type ChunkDigest, type NumberColumn, type TextColumn } from './chunk-digest.js';

/**
 * A chunk's access rows as report lines, straight from its columns: what `rowText` prints for the row
 * the fold would have built, byte for byte, in each format (the property test in
 * test/compliance/report-fast-path.test.ts holds it to the first implementation). Materialising a row
 * object per line and formatting it cost about 3 µs a row. Here everything after a row's time is its
 * shape's (chunk-digest.ts), formatted once per shape; a line is the shape's text around the row's
 * position and time.
 */

/** Row `i` of a chunk, whose `at` text is `at` (atColumn's), as one line of `format` (with its newline). */
export type LineOf = (i: number, at: string) => string;

/** The formatter of `digest`'s rows in `format`. */
export const linesOf = (digest: ChunkDigest, format: ReportFormat): LineOf => (format === 'json' ? jsonLines(digest) : format === 'csv' ? csvLines(digest) : tableLines(digest));

/** A shape's value of a text column, or undefined. */
export const shapeText = (digest: ChunkDigest, column: TextColumn, shape: number): string | undefined => {
  const code = digest.shapes.text[column][shape] as number;
  return code === ABSENT ? undefined : digest.dictionaries[column][code];
};

/** A shape's value of a number column, or undefined. */
const shapeNumber = (digest: ChunkDigest, column: NumberColumn, shape: number): number | undefined => {
  const v = digest.shapes.numbers[column][shape] as number;
  return Number.isNaN(v) ? undefined : v;
};

/** A shape's kind. */
export const shapeKind = (digest: ChunkDigest, shape: number): AccessKind => KINDS[digest.shapes.kind[shape] as number] as AccessKind;

/** Per row, `text(shape)` of its shape, computed once per shape. */
const perShape = (digest: ChunkDigest, text: (shape: number) => string): ((i: number) => string) => {
  const done = new Array<string | undefined>(digest.shapes.count);
  const { shape } = digest;
  return (i) => {
    const s = shape[i] as number;
    return (done[s] ??= text(s));
  };
};

/**
 * Per row, the `at` text the event held: from its time (IsoFormatter, the last one kept, as
 * neighbouring rows often share a millisecond), or from the `at` texts when it was not in toISOString form.
 */
export const atColumn = (digest: ChunkDigest): ((i: number) => string) => {
  const { atMs, atText, atTexts } = digest;
  const iso = new IsoFormatter();
  let lastMs = Number.NaN;
  let lastText = '';
  return (i) => {
    const t = atMs[i] as number;
    if (Number.isNaN(t)) return atTexts[atText[i] as number] as string;
    if (t !== lastMs) {
      lastMs = t;
      lastText = iso.format(t);
    }
    return lastText;
  };
};

/**
 * Per row, its `at` text (as atColumn gives it) through `escape`: a text kept in `at` texts escaped once;
 * a time's ISO text through `exact`, which must give what `escape` gives for such a text (ISO texts
 * hold only digits, '-', '+', ':', '.', 'T' and 'Z', so the formats need little or nothing).
 */
const escapedAt = (digest: ChunkDigest, escape: (text: string) => string, exact: (iso: string) => string): ((i: number, at: string) => string) => {
  const { atMs, atText } = digest;
  const texts = new Array<string | undefined>(digest.atTexts.length);
  return (i, at) => {
    if (!Number.isNaN(atMs[i] as number)) return exact(at);
    const code = atText[i] as number;
    return (texts[code] ??= escape(at));
  };
};

/** Per row, its log position. */
const positionColumn = (digest: ChunkDigest): ((i: number) => number) => {
  const { offset, after } = digest;
  return (i) => after + 1 + (offset[i] as number);
};

/** JSON lines: the keys in rowOf's order (src/compliance/report-fold.ts), values as JSON.stringify writes them. */
const jsonLines = (digest: ChunkDigest): LineOf => {
  const head = perShape(digest, (s) => `{"kind":"${shapeKind(digest, s)}","position":`);
  const tail = perShape(digest, (s) => {
    const field = (key: string, v: string | number | undefined): string => (v === undefined ? '' : `,"${key}":${JSON.stringify(v)}`);
    const t = (c: TextColumn): string => field(c, shapeText(digest, c, s));
    const n = (c: NumberColumn): string => field(c, shapeNumber(digest, c, s));
    const kind = shapeKind(digest, s);
    if (kind === 'authn-failed') return `${t('interface')}${t('tokenId')}${t('reason')}${n('count')}}\n`;
    const common = `${t('principal')}${t('tokenId')}${t('interface')}${t('env')}${t('secret')}`;
    return kind === 'read' ? `${common}${n('version')}${t('rule')}${n('asOf')}}\n` : `${common}${t('capability')}${t('rule')}${t('reason')}}\n`;
  });
  // JSON.stringify of an ISO text is the text in quotes: nothing in it needs escaping.
  const at = escapedAt(digest, (text) => JSON.stringify(text), (iso) => `"${iso}"`);
  const position = positionColumn(digest);
  return (i, text) => `${head(i)}${position(i)},"at":${at(i, text)}${tail(i)}`;
};

/** CSV: REPORT_COLUMNS in order (src/compliance/access-report.ts); an access row leaves the five summary columns empty. */
const csvLines = (digest: ChunkDigest): LineOf => {
  const kind = perShape(digest, (s) => `${shapeKind(digest, s)},`);
  const tail = perShape(digest, (s) => {
    const t = (c: TextColumn): string => csvCell(shapeText(digest, c, s));
    const n = (c: NumberColumn): string => csvCell(shapeNumber(digest, c, s));
    return `,${t('principal')},${t('tokenId')},${t('interface')},${t('env')},${t('secret')},${n('version')},${t('capability')},${t('rule')},${t('reason')},${n('asOf')},${n('count')},,,,,\n`;
  });
  // csvCell leaves an ISO text alone unless it starts with '+' or '-' (a year past 9999 or before 0).
  const at = escapedAt(digest, csvCell, (iso) => (iso.charCodeAt(0) >= 48 && iso.charCodeAt(0) <= 57 ? iso : csvCell(iso)));
  const position = positionColumn(digest);
  return (i, text) => `${kind(i)}${position(i)},${at(i, text)}${tail(i)}`;
};

/** The accesses table (report-format.ts, cellsOf and tableRow): cells padded to ACCESS_WIDTHS, one space apart, the line's end trimmed. */
const tableLines = (digest: ChunkDigest): LineOf => {
  const w = (column: number): number => ACCESS_WIDTHS[column] as number;
  const outcome = perShape(digest, (s) => ` ${cell(({ read: 'read', denied: 'denied', 'authn-failed': 'authn' } as const)[shapeKind(digest, s)], w(1))} `);
  /** The cells after OUTCOME, the line's end trimmed (never into OUTCOME: the last cell, AS OF, is a number or '-'). */
  const rest = perShape(digest, (s) => {
    const t = (c: TextColumn): string | undefined => shapeText(digest, c, s);
    const n = (c: NumberColumn): number | undefined => shapeNumber(digest, c, s);
    const kind = shapeKind(digest, s);
    const cells: unknown[] =
      kind === 'read'
        ? [t('principal'), t('interface'), t('env'), t('secret'), n('version'), t('rule'), n('asOf')]
        : kind === 'denied'
          ? [t('principal'), t('interface'), t('env'), t('secret'), undefined, deniedRuleText(t('capability'), t('reason'), t('rule')), undefined]
          : [authnTokenText(t('tokenId')), t('interface'), undefined, undefined, undefined, authnReasonText(t('reason'), n('count')), undefined];
    return cells.map((v, j) => cell(v, w(j + 2))).join(' ').trimEnd();
  });
  // An ISO text has no control character and is at least as wide as the AT column: its cell is itself.
  const at = escapedAt(digest, (text) => cell(text, w(0)), (iso) => (iso.length >= w(0) ? iso : cell(iso, w(0))));
  return (i, text) => `${at(i, text)}${outcome(i)}${rest(i)}\n`;
};
