import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { KeyObject } from 'node:crypto';
import { CHECKPOINT_EVENT, checkpointVerifies, parseCheckpoint, publicKeyFromPem, signingKeyId, type SignedCheckpoint } from './checkpoint.js';
import { canonicalForm, publicLink, PUBLIC_GENESIS, type ExportedEvent } from './public-chain.js';

/**
 * The public verifier: checks an export (`strongroom audit export --out DIR`) with the signing public
 * key alone, on a machine with no master key and no store. Pure reading and hashing; nothing here
 * needs Strongroom's runtime.
 *
 * 1. Every checkpoint (the export's AuditCheckpointSigned events, plus any kept elsewhere and passed
 *    as a directory) must carry a valid Ed25519 signature by this key, and consecutive ones must chain
 *    (each names the previous one's signature): a forged, altered or substituted checkpoint fails.
 * 2. The events must be positions from+1, from+2, ... with no gap or repeat (removed, inserted,
 *    reordered), and the public chain recomputed over them must equal each checkpoint's signed head at
 *    its position (any modification of an event at or before a checkpoint changes every head after it).
 * 3. The export must reach the last checkpoint known (else its tail was truncated).
 * Events after the last checkpoint are counted as not yet anchored: nothing has signed them yet.
 */

/**
 * What a verification found wrong. `unsigned`: no signed checkpoint covers any event of the export, so
 * nothing in it is proven (anyone can recompute the public chain over edited lines); sign a checkpoint
 * (`strongroom audit sign`) and export again, or keep checkpoints elsewhere (`--checkpoints`).
 * `other-signing-key`: a checkpoint names a key other than the public key given, so nothing can be
 * checked with that key (most often the wrong public key file, not a forgery); `forged-checkpoint`: a
 * checkpoint naming the given key whose signature does not verify with it, or a malformed one.
 */
export type ExportProblem = 'forged-checkpoint' | 'other-signing-key' | 'broken-checkpoint-chain' | 'removed' | 'inserted-or-reordered' | 'modified' | 'truncated' | 'malformed' | 'unsigned';

/** The fields of an exported event line: exactly those the public chain covers (see public-chain.ts). */
const EXPORTED_FIELDS: ReadonlySet<string> = new Set(['position', 'stream', 'revision', 'type', 'schemaVersion', 'digest', 'metadata', 'data']);

export interface ExportVerification {
  readonly ok: boolean;
  /** Events read from the export. */
  readonly events: number;
  readonly from: number;
  readonly lastPosition: number;
  /** Checkpoints verified (signature and chain) and matched against the recomputed chain. */
  readonly checkpoints: number;
  readonly lastCheckpoint: { readonly sequence: number; readonly position: number; readonly signedAt: string } | null;
  /** Events after the last checkpoint: present, but no signature covers them yet. */
  readonly unanchored: number;
  readonly keyId: string;
  readonly problem?: { readonly problem: ExportProblem; readonly position: number | null; readonly detail: string };
}

export interface VerifyExportOptions {
  /** The export directory (holding events.jsonl) or an events.jsonl file. */
  readonly exportPath: string;
  /** The public key, PEM. */
  readonly publicKeyPem: string;
  /** Checkpoint files kept elsewhere (a directory of *.json, one checkpoint each, or JSON lines). */
  readonly checkpointsDir?: string;
}

const eventsFileOf = (path: string): string => (statSync(path).isDirectory() ? join(path, 'events.jsonl') : path);

async function* lines(path: string): AsyncGenerator<string> {
  const reader = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const line of reader) if (line.length > 0) yield line;
}

const keptCheckpoints = (dir: string): unknown[] =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.json') || f.endsWith('.jsonl'))
    .sort()
    .flatMap((f) =>
      readFileSync(join(dir, f), 'utf8')
        .split('\n')
        .filter((l) => l.trim().length > 0)
        .map((l) => {
          try {
            return JSON.parse(l) as unknown;
          } catch {
            return null;
          }
        }),
    );

/** Verifies an export; a problem found is the answer (ok: false), never an exception. @throws Error for an unreadable key or missing file. */
export const verifyExport = async (options: VerifyExportOptions): Promise<ExportVerification> => {
  const publicKey = publicKeyFromPem(options.publicKeyPem);
  const keyId = signingKeyId(publicKey);
  const file = eventsFileOf(options.exportPath);
  if (!existsSync(file)) throw new Error(`${file} does not exist: pass the directory written by \`strongroom audit export --out\``);

  // Pass 1: the checkpoints, from the export's own events and from those kept elsewhere.
  const raw: unknown[] = options.checkpointsDir ? keptCheckpoints(options.checkpointsDir) : [];
  for await (const line of lines(file)) {
    if (!line.includes(CHECKPOINT_EVENT)) continue;
    try {
      const e = JSON.parse(line) as ExportedEvent;
      if (e.type === CHECKPOINT_EVENT) raw.push(e.data);
    } catch {
      // a malformed line is reported by pass 2, at its place
    }
  }
  const checked = checkCheckpoints(raw, publicKey, keyId);
  const base = { keyId, checkpoints: 0, lastCheckpoint: null, unanchored: 0 } as const;
  if ('problem' in checked) return { ...base, ok: false, events: 0, from: 0, lastPosition: 0, problem: checked.problem };
  const byPosition = new Map<number, SignedCheckpoint>();
  for (const c of checked.checkpoints) byPosition.set(c.position, c);

  // Pass 2: positions in order, the public chain, and each checkpoint's head at its position.
  let header: { from: number; publicHead: string } | null = null;
  let head = PUBLIC_GENESIS;
  let previous = 0;
  let events = 0;
  let matched = 0;
  // A jump ahead is judged on the next line: the missing event right after it means reordered, not removed.
  let gap: { readonly expected: number; readonly seen: number } | null = null;
  const fail = (problem: ExportProblem, position: number | null, detail: string): ExportVerification => ({
    ...base,
    ok: false,
    events,
    from: header?.from ?? 0,
    lastPosition: previous,
    checkpoints: matched,
    problem: { problem, position, detail },
  });
  for await (const line of lines(file)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      return fail('malformed', previous + 1, 'a line is not JSON');
    }
    if (header === null) {
      const h = parsed as { format?: unknown; version?: unknown; from?: unknown; publicHead?: unknown };
      if (h.format !== 'strongroom-audit-export' || !Number.isInteger(h.from) || typeof h.publicHead !== 'string') {
        return fail('malformed', null, 'the first line is not a strongroom-audit-export header');
      }
      // Exactly the header this verifier knows: another version, or a field it would not check, is not passed over.
      if (h.version !== 1) return fail('malformed', null, `the export's format version ${String(h.version).slice(0, 20)} is not one this verifier knows (1)`);
      if (line !== JSON.stringify({ format: h.format, version: 1, from: h.from, publicHead: h.publicHead })) {
        return fail('malformed', null, 'the header line is not in the exported form (a field added, repeated or moved)');
      }
      header = { from: h.from as number, publicHead: h.publicHead };
      head = header.publicHead;
      previous = header.from;
      if (header.from > 0) {
        // A partial export is anchored by a signed checkpoint at its start, else by the first one after
        // it: that checkpoint's head is reached only from the true head at the start (a head made up for
        // the start is then reported as 'modified'). Events before such a checkpoint count as unanchored.
        const anchor = byPosition.get(header.from);
        if (anchor) {
          if (anchor.publicHead !== header.publicHead) {
            return fail('modified', header.from, `the export's starting head is not the head checkpoint ${anchor.sequence} signed at position ${header.from}`);
          }
          matched++;
        }
      } else if (header.publicHead !== PUBLIC_GENESIS) {
        return fail('malformed', 0, 'an export from the start must start at the genesis head');
      }
      continue;
    }
    const e = parsed as ExportedEvent;
    if ((parsed as { format?: unknown } | null)?.format === 'strongroom-audit-export') {
      return fail('malformed', previous + 1, 'a second export header: to verify segments of a followed export as one, join them without the later segments\' header lines');
    }
    if (!Number.isInteger(e.position)) return fail('malformed', previous + 1, 'an event has no position');
    // A field the chain does not cover would pass unseen, and a reader of the line would believe it.
    const extra = typeof parsed === 'object' && parsed !== null ? Object.keys(parsed).find((k) => !EXPORTED_FIELDS.has(k)) : undefined;
    if (extra !== undefined) return fail('modified', e.position, `the line at position ${e.position} carries a field no signature covers (${extra.slice(0, 40)})`);
    // The chain covers the parsed fields; a reader may parse differently (a repeated key: first or last
    // wins?), so the line must be byte for byte the exported form of what it says.
    if (line !== JSON.stringify(canonicalForm(e))) {
      return fail('modified', e.position, `the line at position ${e.position} is not in the exported form (a key repeated or moved, or spacing changed): a reader could see other values than the ones the chain covers`);
    }
    if (gap) {
      return e.position === gap.expected
        ? fail('inserted-or-reordered', gap.seen, `position ${gap.seen} comes before position ${gap.expected}`)
        : fail('removed', gap.expected, `events ${gap.expected}..${gap.seen - 1} are missing`);
    }
    if (e.position > previous + 1) {
      gap = { expected: previous + 1, seen: e.position };
      continue;
    }
    if (e.position <= previous) return fail('inserted-or-reordered', e.position, `position ${e.position} follows position ${previous}`);
    head = publicLink(head, e);
    previous = e.position;
    events++;
    const checkpoint = byPosition.get(e.position);
    if (checkpoint) {
      if (checkpoint.publicHead !== head) {
        return fail('modified', e.position, `the events up to position ${e.position} do not hash to the head checkpoint ${checkpoint.sequence} signed: an event at or before it was changed, added, removed or reordered`);
      }
      matched++;
    }
  }
  if (header === null) return fail('malformed', null, 'the export is empty (no header)');
  if (gap) return fail('removed', gap.expected, `events ${gap.expected}..${gap.seen - 1} are missing`);
  const last = checked.checkpoints.at(-1) ?? null;
  if (last && last.position > previous) {
    return fail(
      'truncated',
      previous + 1,
      `the export ends at position ${previous}, before checkpoint ${last.sequence} at position ${last.position} (a segment of a followed export ends early by design: verify the segments joined, without the later headers)`,
    );
  }
  if (matched === 0) {
    return fail(
      'unsigned',
      null,
      events === 0
        ? 'the export holds no events and no signed checkpoint: there is nothing to verify'
        : `no signed checkpoint covers any of the ${events} events, so none of them is proven (anyone can recompute the public chain over edited lines): sign a checkpoint (strongroom audit sign) and export again, or pass the checkpoints kept elsewhere (--checkpoints)`,
    );
  }
  return {
    ...base,
    ok: true,
    events,
    from: header.from,
    lastPosition: previous,
    checkpoints: matched,
    lastCheckpoint: last && { sequence: last.sequence, position: last.position, signedAt: last.signedAt },
    unanchored: last ? previous - Math.max(last.position, header.from) : events,
  };
};

/** Signatures, key ids and the chain of previous signatures; duplicates (the same checkpoint twice) collapse. */
const checkCheckpoints = (
  raw: readonly unknown[],
  publicKey: KeyObject,
  keyId: string,
): { checkpoints: SignedCheckpoint[] } | { problem: NonNullable<ExportVerification['problem']> } => {
  const bySequence = new Map<number, SignedCheckpoint>();
  for (const r of raw) {
    const c = parseCheckpoint(r);
    if (!c) return { problem: { problem: 'forged-checkpoint', position: null, detail: 'a checkpoint is malformed' } };
    if (c.keyId !== keyId) {
      const detail = `checkpoint ${c.sequence} at position ${c.position} is signed by key ${c.keyId.slice(0, 64)}; the public key given is ${keyId}: use that key's public key (strongroom audit public-key)`;
      return { problem: { problem: 'other-signing-key', position: c.position, detail } };
    }
    if (!checkpointVerifies(c, publicKey)) {
      return { problem: { problem: 'forged-checkpoint', position: c.position, detail: `checkpoint ${c.sequence} at position ${c.position} names key ${keyId}, but its signature does not verify with that key` } };
    }
    const same = bySequence.get(c.sequence);
    if (same && same.signature !== c.signature) {
      return { problem: { problem: 'broken-checkpoint-chain', position: c.position, detail: `two different checkpoints claim sequence ${c.sequence}` } };
    }
    bySequence.set(c.sequence, c);
  }
  const sorted = [...bySequence.values()].sort((a, b) => a.sequence - b.sequence);
  for (let i = 0; i < sorted.length; i++) {
    const c = sorted[i] as SignedCheckpoint;
    const before = sorted[i - 1];
    const chained = before ? c.sequence === before.sequence + 1 && c.previousSignature === before.signature && c.position > before.position : c.sequence > 1 || c.previousSignature === null;
    if (!chained) {
      return { problem: { problem: 'broken-checkpoint-chain', position: c.position, detail: `checkpoint ${c.sequence} does not follow checkpoint ${before?.sequence ?? 'none'} (missing, replaced or reordered)` } };
    }
  }
  return { checkpoints: sorted };
};
