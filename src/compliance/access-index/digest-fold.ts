import { yieldToEventLoop } from '../../shared/yield-to-event-loop.js';
import type { ReportFilter } from '../access-report.js';
import type { ReportFold } from '../report-fold.js';
import type { ReportFormat, RunBuilder } from '../queries/get-access-report/report-format.js';
import type { AccessKind, ChunkDigest } from './chunk-digest.js';
import { atColumn, linesOf, shapeKind, shapeText } from './digest-lines.js';

/** Rows between turns of the event loop (a few milliseconds; see ARCHITECTURE, Long operations). */
const SLICE = 5_000;

/**
 * A run's text gathered in flat pieces and joined when the run ends. Appending each line to one string
 * keeps a rope of some twenty objects per line alive to the end of the chunk, and the collector then
 * spent three times as long as the formatting (profiled: 3.7 s of 5.3 s over 480,000 rows). Here the
 * rope of the last LINES_PER_PIECE lines is flattened (reading a character makes V8 copy a rope into
 * one flat string) and only that survives; writing the lines into a UTF-8 buffer instead cost an
 * encode and a decode per character (two fifths of a warm report's thread time).
 */
class TextRun {
  private readonly pieces: string[] = [];
  private kind: ReportRowKind | null = null;
  private pending = '';
  private lines = 0;

  constructor(private readonly runs: RunBuilder) {}

  add(kind: ReportRowKind, line: string): void {
    if (kind !== this.kind) this.flush(kind);
    this.pending += line;
    if (++this.lines === LINES_PER_PIECE) this.piece();
  }

  private piece(): void {
    if (this.pending === '') return;
    this.pending.charCodeAt(0); // flattens the rope (see the class comment)
    this.pieces.push(this.pending);
    this.pending = '';
    this.lines = 0;
  }

  /** Hands the run so far to `runs` and starts one of `next`. */
  flush(next: ReportRowKind | null = null): void {
    this.piece();
    if (this.kind !== null && this.pieces.length > 0) this.runs.addText(this.kind, this.pieces.join(''));
    this.pieces.length = 0;
    this.kind = next;
  }
}
type ReportRowKind = AccessKind;
const LINES_PER_PIECE = 64;

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
  const out = new TextRun(runs);
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
  // Rows never read these maps (only the summary does), so taking them in after the rows is the same.
  fold.merge({ stats: [], tokenLastUse: digest.tokenLastUse, lastReadOf: digest.lastReadOf });
};
