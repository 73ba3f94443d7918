// C0/C1 controls and the Unicode line separators: a name, actor or metadata string read back from the
// log must not be able to move the cursor or recolour an operator's terminal.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

export const printable = (text: string): string => text.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

export type Cell = string | number | null | undefined;

const cellText = (cell: Cell): string => (cell === null || cell === undefined || cell === '' ? '-' : printable(String(cell)));

/** Left-aligned columns separated by two spaces, header first, no trailing newline; no borders, so it greps. */
export const formatTable = (headers: readonly string[], rows: readonly (readonly Cell[])[]): string => {
  const lines = [headers, ...rows.map((row) => headers.map((_, i) => cellText(row[i])))];
  const widths = headers.map((_, i) => Math.max(...lines.map((line) => (line[i] ?? '').length)));
  return lines.map((line) => line.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n');
};
