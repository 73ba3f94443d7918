import { yieldToEventLoop } from '../../shared/yield-to-event-loop.js';
import type { ReportFilter } from '../access-report.js';
import type { ReportFold } from '../report-fold.js';
import type { ReportFormat, RunBuilder } from '../queries/get-access-report/report-format.js';
import type { AccessKind, ChunkDigest } from './chunk-digest.js';
import { atColumn, linesOf, shapeKind, shapeText } from './digest-lines.js';

/** Rows between turns of the event loop (a few milliseconds; see ARCHITECTURE, Long operations). */
const SLICE = 5_000;

/**
 * A run's text gathered as UTF-8 bytes and turned into one flat string when the run ends. Appending
 * each line to a string instead keeps a rope of some twenty objects per line alive to the end of the
 * chunk, and the collector then spent three times as long as the formatting (profiled: 3.7 s of
 * 5.3 s over 480,000 rows); a line written into the buffer dies young.
 */
class ByteRun {
  /**
   * A buffer left by the last run that ended, for the next (a chunk's text is megabytes: growing a
   * fresh buffer each chunk cost a tenth of the time). Two folds at once (two reports interleaving
   * between turns of the event loop) each hold their own.
   */
  private static spare: Buffer | null = null;
  private bytes: Buffer = ByteRun.spare ?? Buffer.allocUnsafe(4 << 20);
  private length = 0;
  private kind: ReportRowKind | null = null;
  /** Lines gathered as a string before they are written (a write per line costs more than the line). */
  private pending = '';
  private lines = 0;

  constructor(private readonly runs: RunBuilder) {
    ByteRun.spare = null;
  }

  /** The last flush done: the buffer goes back for the next run. */
  release(): void {
    ByteRun.spare = this.bytes;
  }

  add(kind: ReportRowKind, line: string): void {
    if (kind !== this.kind) this.flush(kind);
    this.pending += line;
    if (++this.lines === LINES_PER_WRITE) this.write();
  }

  private write(): void {
    const text = this.pending;
    this.pending = '';
    this.lines = 0;
    if (this.length + text.length * 3 > this.bytes.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.length + text.length * 3));
      this.bytes.copy(grown, 0, 0, this.length);
      this.bytes = grown;
    }
    this.length += this.bytes.write(text, this.length);
  }

  /** Hands the run so far to `runs` and starts one of `next`. */
  flush(next: ReportRowKind | null = null): void {
    this.write();
    if (this.kind !== null && this.length > 0) this.runs.addText(this.kind, this.bytes.toString('utf8', 0, this.length));
    this.kind = next;
    this.length = 0;
  }
}
type ReportRowKind = AccessKind;
const LINES_PER_WRITE = 64;

/**
 * Folds a whole chunk's digest into `fold` (a fold that has seen everything before the chunk) and the
 * lines of its rows that pass `filter` into `runs`, in `format`: exactly what folding the chunk's
 * events gives, since the digest holds every access row unfiltered and the per-token and per-secret
 * times of the whole chunk. The filters are ReportFold's own (inTime, passes, countRead); the
 * row-level ones are asked once per shape. The caller makes sure `filter.toPosition` does not cut the
 * chunk (rows past it would be dropped, but their token uses would still count).
 */
export const foldDigest = async (digest: ChunkDigest, filter: ReportFilter, format: ReportFormat, fold: ReportFold, runs: RunBuilder): Promise<void> => {
  const { fromPosition } = filter;
  const { atMs, shape, offset, after } = digest;
  /** Per shape, what the filters and the per-secret counts read (looked up once per shape). */
  const fields = new Array<{ readonly pass: boolean; readonly kind: AccessKind; readonly readOf: string; readonly env?: string; readonly secret?: string; readonly principal?: string } | undefined>(digest.shapes.count);
  const fieldsOf = (s: number) => {
    const [principal, env, secret] = [shapeText(digest, 'principal', s), shapeText(digest, 'env', s), shapeText(digest, 'secret', s)];
    // The secret id a read counts for; absent only in a malformed event, which the fold counts under undefined too.
    return { pass: fold.passes(principal, env, secret), kind: shapeKind(digest, s), readOf: shapeText(digest, 'readOf', s) as string, principal, env, secret };
  };
  const at = atColumn(digest);
  const line = linesOf(digest, format);
  const out = new ByteRun(runs);
  for (let i = 0; i < digest.rows; i++) {
    if (i % SLICE === SLICE - 1) await yieldToEventLoop();
    if (fromPosition !== undefined && after + 1 + (offset[i] as number) < fromPosition) continue;
    if (fold.timed) {
      const ms = atMs[i] as number;
      if (!fold.inTime(Number.isNaN(ms) ? Date.parse(at(i)) : ms)) continue;
    }
    const s = shape[i] as number;
    const f = (fields[s] ??= fieldsOf(s));
    if (!f.pass) continue;
    const text = at(i);
    if (f.kind === 'read') fold.countRead(f.readOf, f.env, f.secret, text, f.principal);
    out.add(f.kind, line(i, text));
  }
  out.flush();
  out.release();
  // Rows never read these maps (only the summary does), so taking them in after the rows is the same.
  fold.merge({ stats: [], tokenLastUse: digest.tokenLastUse, lastReadOf: digest.lastReadOf });
};
