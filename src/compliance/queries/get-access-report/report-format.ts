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

/** The report as lines in `format`, in the order rows arrive: JSON lines, CSV with a header, or sectioned tables. */
export async function* reportLines(rows: AsyncIterable<ReportRow>, format: ReportFormat): AsyncGenerator<string> {
  if (format === 'csv') yield csvLine(REPORT_COLUMNS);
  let section: ReportRow['kind'] | null = null;
  for await (const row of rows) {
    if (format === 'json') {
      yield `${JSON.stringify(row)}\n`;
      continue;
    }
    if (format === 'csv') {
      yield csvLine(REPORT_COLUMNS.map((c) => row[c]));
      continue;
    }
    const table = TABLES[row.kind];
    if (row.kind !== section) {
      yield `${section === null ? '' : '\n'}${table.title}\n${table.columns.map(([, h, w]) => h.padEnd(w)).join(' ').trimEnd()}\n`;
      section = row.kind;
    }
    yield `${table.columns.map(([k, , w]) => cell(row[k], w)).join(' ').trimEnd()}\n`;
  }
  if (format === 'table' && section === null) yield 'Nothing recorded matches.\n';
}
