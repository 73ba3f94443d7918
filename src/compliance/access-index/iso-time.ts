/** Milliseconds in a day (UTC has no leap seconds in ECMAScript time). */
const DAY_MS = 86_400_000;
const pad = (n: number, width: number): string => String(n).padStart(width, '0');
const TWO = Array.from({ length: 60 }, (_, n) => pad(n, 2));
const THREE = Array.from({ length: 1000 }, (_, n) => pad(n, 3));

/**
 * `new Date(ms).toISOString()`, about ten times quicker for times that share a day with the one
 * before: the date part ("2026-11-30T", or "+020000-01-01T" beyond year 9999) comes from
 * toISOString once per day, the time of day from arithmetic. A report prints one time per row, and
 * toISOString was a third of a warm report's time. One formatter per chunk (it keeps the last day).
 */
export class IsoFormatter {
  private day = Number.NaN;
  private prefix = '';

  /** The ISO text of `ms` (a finite time within the Date range), exactly as toISOString writes it. */
  format(ms: number): string {
    const day = Math.floor(ms / DAY_MS);
    if (day !== this.day) {
      const text = new Date(day * DAY_MS).toISOString();
      this.day = day;
      this.prefix = text.slice(0, text.indexOf('T') + 1);
    }
    let rest = ms - day * DAY_MS;
    const hours = Math.floor(rest / 3_600_000);
    rest -= hours * 3_600_000;
    const minutes = Math.floor(rest / 60_000);
    rest -= minutes * 60_000;
    const seconds = Math.floor(rest / 1000);
    return `${this.prefix}${TWO[hours] as string}:${TWO[minutes] as string}:${TWO[seconds] as string}.${THREE[rest - seconds * 1000] as string}Z`;
  }
}
