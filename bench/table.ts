/** Medians, number formatting and the Markdown table `npm run bench` prints. No timing is ever asserted. */

export const median = (xs: readonly number[]): number => {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

export const fmt = (n: number, unit: string): string => {
  if (!Number.isFinite(n)) return 'n/a';
  const digits = Math.abs(n) >= 100 ? 0 : Math.abs(n) >= 10 ? 1 : 2;
  return `${n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 })} ${unit}`.trim();
};

export interface Row {
  readonly figure: string;
  readonly unit: string;
  /** One value per run. */
  readonly runs: readonly number[];
  readonly baseline?: { readonly label: string; readonly runs: readonly number[] };
  /** Human-readable target and whether the medians meet it. */
  readonly target?: { readonly text: string; readonly met: (value: number, baseline: number) => boolean };
}

export interface Summary {
  readonly figure: string;
  readonly value: number;
  readonly baseline: number;
  readonly ratio: number;
  readonly met: boolean | null;
}

const spread = (xs: readonly number[], unit: string): string =>
  xs.length === 0 ? '' : `${fmt(Math.min(...xs), '')}–${fmt(Math.max(...xs), '')} ${unit}`.trim();

export const summarise = (row: Row): Summary => {
  const value = median(row.runs);
  const baseline = row.baseline ? median(row.baseline.runs) : Number.NaN;
  return {
    figure: row.figure,
    value,
    baseline,
    ratio: value / baseline,
    met: row.target ? row.target.met(value, baseline) : null,
  };
};

/** A Markdown table: median, the baseline's median, their ratio, the target and the spread over runs. */
export const renderTable = (rows: readonly Row[]): string => {
  const header = ['Figure', 'Median', 'Baseline (median)', 'Ratio', 'Target', 'Met', 'Runs min–max (figure / baseline)'];
  const lines = rows.map((row) => {
    const s = summarise(row);
    return [
      row.figure,
      fmt(s.value, row.unit),
      row.baseline ? `${fmt(s.baseline, row.unit)} (${row.baseline.label})` : '—',
      row.baseline ? `${s.ratio.toFixed(2)}x` : '—',
      row.target?.text ?? '—',
      s.met === null ? '—' : s.met ? 'yes' : '**no**',
      `${spread(row.runs, '')}${row.baseline ? ` / ${spread(row.baseline.runs, '')}` : ''} (n=${row.runs.length})`,
    ];
  });
  const all = [header, ...lines];
  const widths = header.map((_, c) => Math.max(...all.map((l) => (l[c] as string).length)));
  const line = (cells: string[]): string => `| ${cells.map((cell, c) => cell.padEnd(widths[c] as number)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...lines.map(line)].join('\n');
};
