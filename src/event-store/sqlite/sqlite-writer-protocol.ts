import { ErrorCode, StrongroomError } from '../../shared/errors.js';
import { ExpectedRevisionConflictError, StoreUnavailableError, type ExpectedRevision } from '../event-store.port.js';
import type { LogTip } from './sqlite-connection.js';
import type { EventRow } from './sqlite-rows.js';
import type { ImportRow, RedactionRow } from './sqlite-writer.js';

/**
 * The messages between the event loop and the SQLite writer thread (sqlite-writer.worker.ts).
 *
 * Appends travel flat: one array of strings and numbers per flush rather than an object per append and
 * per event, because structured clone pays per object (measured in BENCHMARKS.md, issue 11). The layout
 * of the `appends` message's `flat`, per append:
 *   id, stream, expectedRevision, n, then n times: type, schemaVersion, dataJson, metadataJson, digest
 * and of the `batch` message's `results`, per settled append:
 *   id, RESULT_OK, nextExpectedRevision, position, then one hash per event   (position: the last event's)
 *   id, RESULT_ERROR, index into `errors`
 */

/** Given to the thread when it starts. */
export interface WriterThreadData {
  readonly path: string;
  /** What the event loop had delivered when the thread started: rows after it are reported as a gap. */
  readonly tip: LogTip;
}

/** Entries per append in the `appends` message's `flat` before its events: id, stream, expectedRevision, n. */
export const APPEND_FIELDS = 4;
/** Entries per event in the `appends` message's `flat`: type, schemaVersion, dataJson, metadataJson, digest. */
export const EVENT_FIELDS = 5;
/** In `results`: the append was committed (nextExpectedRevision, position and its hashes follow). */
export const RESULT_OK = 0;
/** In `results`: the append was refused or its outcome is unknown (an index into `errors` follows). */
export const RESULT_ERROR = 1;

/** From the event loop to the writer thread, handled in the order posted. */
export type ToWriter =
  /** The audit key the chain is sealed with (it arrives after start-up has unwrapped the keyring). */
  | { readonly k: 'key'; readonly key: Uint8Array }
  /** `tip`: what the event loop had delivered when it posted these (a later gap starts after it). */
  | { readonly k: 'appends'; readonly flat: readonly (string | number)[]; readonly tip: LogTip }
  | { readonly k: 'import'; readonly id: number; readonly rows: readonly ImportRow[] }
  | { readonly k: 'redact'; readonly id: number; readonly rows: readonly RedactionRow[] }
  /** Commit what is queued, close the connection, answer `closed`. */
  | { readonly k: 'close' };

/** From the writer thread to the event loop, in the order its work settled. */
export type FromWriter =
  /** The appends one transaction settled, after other processes' rows found before it (`gap`). */
  | { readonly k: 'batch'; readonly gap: readonly EventRow[]; readonly results: readonly (string | number)[]; readonly errors: readonly WireError[] }
  | { readonly k: 'done'; readonly id: number; readonly error?: WireError }
  | { readonly k: 'closed' };

/** An error as it crosses to the event loop: enough to raise the same class with the same code there. */
export interface WireError {
  readonly code: string | null;
  readonly name: string;
  readonly message: string;
  readonly details: Readonly<Record<string, unknown>>;
  /** The driver's error behind a STORE_UNAVAILABLE (e.g. SQLITE_FULL), message and code only. */
  readonly cause: { readonly message: string; readonly code: string | null } | null;
}

const codeOf = (e: unknown): string | null => {
  const code = typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : null;
};

/** Flattens an error for postMessage. Carries messages and codes only: no payload ever goes into an error. */
export const toWire = (e: unknown): WireError => {
  const cause = e instanceof Error && e.cause !== undefined ? e.cause : undefined;
  return {
    code: codeOf(e),
    name: e instanceof Error ? e.name : 'Error',
    message: e instanceof Error ? e.message : String(e),
    details: e instanceof StrongroomError ? e.details : {},
    cause: cause === undefined ? null : { message: cause instanceof Error ? cause.message : String(cause), code: codeOf(cause) },
  };
};

/** The error `toWire` flattened, as the same class: conflicts stay ExpectedRevisionConflictError, and so on. */
export const fromWire = (w: WireError): Error => {
  const cause = w.cause === null ? undefined : Object.assign(new Error(w.cause.message), w.cause.code === null ? {} : { code: w.cause.code });
  if (w.code === ErrorCode.RevisionConflict && typeof w.details.stream === 'string') {
    return new ExpectedRevisionConflictError(w.details.stream, w.details.expected as ExpectedRevision, w.details.actual as number | 'no_stream');
  }
  if (w.code === ErrorCode.StoreUnavailable) return new StoreUnavailableError(w.message, cause === undefined ? undefined : { cause });
  if (w.code !== null && (Object.values(ErrorCode) as string[]).includes(w.code)) {
    const error = new StrongroomError(w.code as ErrorCode, w.message, w.details, cause === undefined ? undefined : { cause });
    error.name = w.name;
    return error;
  }
  const error = new Error(w.message, cause === undefined ? undefined : { cause });
  error.name = w.name;
  return error;
};
