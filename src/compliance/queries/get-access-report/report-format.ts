import { printable } from '../../../interfaces/cli/table.js';
import { csvLine, REPORT_COLUMNS, type ReportRow } from '../../access-report.js';

export type ReportFormat = 'table' | 'json' | 'csv';

/**
 * A table report's sections. Reads, refusals and failed authentications share one table in log order
 * (an auditor reads them as one sequence; separate tables would restart at every change of kind), then
 * come the summary tables.
 */
export type ReportSection = 'accesses' | 'secret' | 'unread-secret' | 'unused-token';

/** The section a row of `kind` is printed in. */
export const sectionOf = (kind: ReportRow['kind']): ReportSection => (kind === 'read' || kind === 'denied' || kind === 'authn-failed' ? 'accesses' : kind);

/** Fixed column widths (characters), so a table can be printed as rows arrive (a streamed report cannot measure them first). */
const SECTIONS: Record<ReportSection, { readonly title: string; readonly columns: readonly (readonly [string, number])[] }> = {
  accesses: {
    title: 'ACCESSES (reads, refusals and failed authentications, in log order)',
    columns: [['AT', 24], ['OUTCOME', 7], ['PRINCIPAL', 22], ['VIA', 7], ['ENV', 10], ['SECRET', 32], ['V', 4], ['RULE / REASON', 40], ['AS OF', 8]],
  },
  secret: { title: 'PER SECRET', columns: [['ENV', 10], ['SECRET', 32], ['READS', 8], ['READERS', 8], ['LAST ACCESS', 24], ['LAST READER', 22]] },
  'unread-secret': { title: 'UNREAD SECRETS (candidates for removal)', columns: [['ENV', 10], ['SECRET', 32], ['CREATED', 24], ['LAST ACCESS', 24]] },
  'unused-token': { title: 'UNUSED TOKENS (candidates for revocation)', columns: [['TOKEN', 18], ['PRINCIPAL', 22], ['CREATED', 24], ['LAST USED', 24]] },
};

/** The column widths of the accesses table, in order (AT, OUTCOME, PRINCIPAL, VIA, ENV, SECRET, V, RULE / REASON, AS OF). */
export const ACCESS_WIDTHS: readonly number[] = SECTIONS.accesses.columns.map(([, w]) => w);

/** The RULE / REASON cell of a refusal. */
export const deniedRuleText = (capability: string | undefined, reason: string | undefined, rule: string | undefined): string =>
  `${capability ?? '?'} refused: ${reason ?? ''}${rule ? ` (${rule})` : ''}`;

/** The RULE / REASON cell of a failed authentication. */
export const authnReasonText = (reason: string | undefined, count: number | undefined): string => `${reason ?? ''}${count !== undefined && count > 1 ? ` (x${count})` : ''}`;

/** The PRINCIPAL cell of a failed authentication. */
export const authnTokenText = (tokenId: string | undefined): string | undefined => tokenId && `token ${tokenId}`;

/** A row's cells in its section's column order. */
const cellsOf = (r: ReportRow): readonly unknown[] => {
  switch (r.kind) {
    case 'read':
      return [r.at, 'read', r.principal, r.interface, r.env, r.secret, r.version, r.rule, r.asOf];
    case 'denied':
      return [r.at, 'denied', r.principal, r.interface, r.env, r.secret, undefined, deniedRuleText(r.capability, r.reason, r.rule), undefined];
    case 'authn-failed':
      return [r.at, 'authn', authnTokenText(r.tokenId), r.interface, undefined, undefined, undefined, authnReasonText(r.reason, r.count), undefined];
    case 'secret':
      return [r.env, r.secret, r.reads, r.readers, r.lastAccess, r.lastReader];
    case 'unread-secret':
      return [r.env, r.secret, r.createdAt, r.lastAccess];
    case 'unused-token':
      return [r.tokenId, r.principal, r.createdAt, r.lastAccess];
  }
};

/** A cell padded to its width; a longer text runs over (the separating space still follows). */
export const cell = (v: unknown, width: number): string => {
  const text = v === undefined || v === null || v === '' ? '-' : printable(String(v));
  return text.padEnd(width);
};

/** A section's title and column headings (after a blank line unless it is the first). */
export const tableHeader = (section: ReportSection, first: boolean): string => {
  const table = SECTIONS[section];
  return `${first ? '' : '\n'}${table.title}\n${table.columns.map(([h, w]) => h.padEnd(w)).join(' ').trimEnd()}\n`;
};

/** One row as a table line. */
export const tableRow = (row: ReportRow): string => {
  const widths = SECTIONS[sectionOf(row.kind)].columns;
  return `${cellsOf(row)
    .map((v, i) => cell(v, (widths[i] as readonly [string, number])[1]))
    .join(' ')
    .trimEnd()}\n`;
};

/** The text of one row alone, in `format` (no section title). */
export const rowText = (row: ReportRow, format: ReportFormat): string => {
  if (format === 'json') return `${JSON.stringify(row)}\n`;
  if (format === 'csv') return csvLine(REPORT_COLUMNS.map((c) => row[c]));
  return tableRow(row);
};

/** Rows of one kind in a row, as text: a table starts a section (a title) where the kind changes. */
export interface ReportRun {
  readonly kind: ReportRow['kind'];
  readonly text: string;
}

/** Builds runs row by row, so a row is garbage as soon as its text is written. */
export class RunBuilder {
  private readonly runs: ReportRun[] = [];
  private kind: ReportRow['kind'] | null = null;
  private text = '';

  constructor(private readonly format: ReportFormat) {}

  /** Appends a row's text, starting a new run where its kind changes. */
  add(row: ReportRow): void {
    this.addText(row.kind, rowText(row, this.format));
  }

  /** Appends the text of a row of `kind` already formatted (as rowText would: the access index formats from columns). */
  addText(kind: ReportRow['kind'], text: string): void {
    if (kind !== this.kind) {
      if (this.kind !== null) this.runs.push({ kind: this.kind, text: this.text });
      this.kind = kind;
      this.text = '';
    }
    this.text += text;
  }

  /** The runs so far; the builder starts empty again. */
  take(): ReportRun[] {
    if (this.kind !== null) this.runs.push({ kind: this.kind, text: this.text });
    this.kind = null;
    this.text = '';
    return this.runs.splice(0);
  }
}

/** `rows` as runs of one kind (their text concatenated), for a writer that adds the section titles. */
export const runsOf = (rows: readonly ReportRow[], format: ReportFormat): ReportRun[] => {
  const builder = new RunBuilder(format);
  for (const row of rows) builder.add(row);
  return builder.take();
};

/**
 * Writes a report in `format` from runs of rows: the CSV header first, a table's section title where
 * the kind changes, and "Nothing recorded matches." for an empty table.
 */
export class ReportWriter {
  private section: ReportSection | null = null;

  constructor(private readonly format: ReportFormat) {}

  /** What comes before any row (the CSV header). */
  start(): string {
    return this.format === 'csv' ? csvLine(REPORT_COLUMNS) : '';
  }

  /** A run's text, after the section title it needs. */
  run(run: ReportRun): string {
    const section = sectionOf(run.kind);
    if (this.format === 'table' && section !== this.section) {
      const title = tableHeader(section, this.section === null);
      this.section = section;
      return title + run.text;
    }
    this.section = section;
    return run.text;
  }

  /** What comes after the last row. */
  end(): string {
    return this.format === 'table' && this.section === null ? 'Nothing recorded matches.\n' : '';
  }
}

/** The report as lines in `format`, in the order rows arrive: JSON lines, CSV with a header, or sectioned tables. */
export async function* reportLines(rows: AsyncIterable<ReportRow>, format: ReportFormat): AsyncGenerator<string> {
  const writer = new ReportWriter(format);
  const start = writer.start();
  if (start !== '') yield start;
  for await (const row of rows) yield writer.run({ kind: row.kind, text: rowText(row, format) });
  const end = writer.end();
  if (end !== '') yield end;
}
