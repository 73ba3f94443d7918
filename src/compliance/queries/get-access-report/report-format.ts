import { printable } from '../../../interfaces/cli/table.js';
import { csvLine, REPORT_COLUMNS, type ReportRow } from '../../access-report.js';

export type ReportFormat = 'table' | 'json' | 'csv';

/** Fixed column widths, so a table can be printed as rows arrive (a streamed report cannot measure them first). */
const TABLES: Record<ReportRow['kind'], { readonly title: string; readonly columns: readonly (readonly [keyof ReportRow, string, number])[] }> = {
  read: {
    title: 'READS',
    columns: [['at', 'AT', 24], ['principal', 'PRINCIPAL', 22], ['interface', 'VIA', 7], ['env', 'ENV', 10], ['secret', 'SECRET', 32], ['version', 'V', 4], ['rule', 'RULE', 24], ['asOf', 'AS OF', 8]],
  },
  denied: {
    title: 'DENIED',
    columns: [['at', 'AT', 24], ['principal', 'PRINCIPAL', 22], ['interface', 'VIA', 7], ['env', 'ENV', 10], ['secret', 'SECRET', 32], ['capability', 'CAPABILITY', 10], ['reason', 'REASON', 40]],
  },
  'authn-failed': { title: 'FAILED AUTHENTICATIONS', columns: [['at', 'AT', 24], ['interface', 'VIA', 7], ['tokenId', 'TOKEN', 18], ['reason', 'REASON', 20], ['count', 'COUNT', 6]] },
  secret: { title: 'PER SECRET', columns: [['env', 'ENV', 10], ['secret', 'SECRET', 32], ['reads', 'READS', 8], ['readers', 'READERS', 8], ['lastAccess', 'LAST ACCESS', 24], ['lastReader', 'LAST READER', 22]] },
  'unread-secret': { title: 'UNREAD SECRETS (candidates for removal)', columns: [['env', 'ENV', 10], ['secret', 'SECRET', 32], ['createdAt', 'CREATED', 24], ['lastAccess', 'LAST ACCESS', 24]] },
  'unused-token': { title: 'UNUSED TOKENS (candidates for revocation)', columns: [['tokenId', 'TOKEN', 18], ['principal', 'PRINCIPAL', 22], ['createdAt', 'CREATED', 24], ['lastAccess', 'LAST USED', 24]] },
};

const cell = (v: unknown, width: number): string => {
  const text = v === undefined || v === null || v === '' ? '-' : printable(String(v));
  return text.length >= width ? `${text} ` : text.padEnd(width);
};

/** The text of one row alone, in `format` (no section title). */
export const rowText = (row: ReportRow, format: ReportFormat): string => {
  if (format === 'json') return `${JSON.stringify(row)}\n`;
  if (format === 'csv') return csvLine(REPORT_COLUMNS.map((c) => row[c]));
  return `${TABLES[row.kind].columns.map(([k, , w]) => cell(row[k], w)).join(' ').trimEnd()}\n`;
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
    if (row.kind !== this.kind) {
      if (this.kind !== null) this.runs.push({ kind: this.kind, text: this.text });
      this.kind = row.kind;
      this.text = '';
    }
    this.text += rowText(row, this.format);
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
  private section: ReportRow['kind'] | null = null;

  constructor(private readonly format: ReportFormat) {}

  /** What comes before any row (the CSV header). */
  start(): string {
    return this.format === 'csv' ? csvLine(REPORT_COLUMNS) : '';
  }

  /** A run's text, after the section title it needs. */
  run(run: ReportRun): string {
    if (this.format === 'table' && run.kind !== this.section) {
      const table = TABLES[run.kind];
      const title = `${this.section === null ? '' : '\n'}${table.title}\n${table.columns.map(([, h, w]) => h.padEnd(w)).join(' ').trimEnd()}\n`;
      this.section = run.kind;
      return title + run.text;
    }
    this.section = run.kind;
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
