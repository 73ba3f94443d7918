import { ErrorCode, StrongroomError } from '../../shared/errors.js';
import type { ResolvedEvent } from '@kurrent/kurrentdb-client';
import type { RecordedEvent } from '../event-store.port.js';
import { parseStoredJson } from '../stored-json.js';

/**
 * The JSON data of one KurrentDB event in the log stream. The KurrentDB event type is our event type;
 * the log stream revision + 1 is our global position, so neither is repeated here.
 *
 * `data` and `metadata` are our payload as *text*, exactly `JSON.stringify(...)` at append time: the
 * client would re-serialize a nested object itself, and keeping our own bytes means the digest
 * recomputed from a read-back event is the one sealed at append time, whatever the wire does.
 */
export interface LogEnvelope {
  readonly stream: string;
  readonly revision: number;
  readonly schemaVersion: number;
  readonly data: string;
  readonly metadata: string;
  readonly digest: string;
  readonly hash: string;
}

/** The envelope of an event recorded elsewhere (`importRecorded`): its digest and hash are kept. */
export const envelopeOfRecorded = (e: RecordedEvent): LogEnvelope => ({
  stream: e.stream,
  revision: e.revision,
  schemaVersion: e.schemaVersion,
  data: JSON.stringify(e.data),
  metadata: JSON.stringify(e.metadata),
  digest: e.digest,
  hash: e.hash,
});

/** Our event from its envelope; `logRevision` is its revision in the log stream. */
export const recordedFromEnvelope = (logRevision: number, type: string, envelope: LogEnvelope): RecordedEvent => ({
  type,
  schemaVersion: envelope.schemaVersion,
  data: parseStoredJson(envelope.data),
  metadata: parseStoredJson(envelope.metadata),
  stream: envelope.stream,
  revision: envelope.revision,
  position: logRevision + 1,
  digest: envelope.digest,
  hash: envelope.hash,
});

const isRevision = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;

/**
 * Decodes an event read from the log stream. Something that is not our envelope (another writer's
 * event in our stream, a binary event) is an integrity failure, not something to skip: skipping it
 * would shift every later position.
 */
export const decodeLogEvent = (logRevision: number, type: string, body: unknown): RecordedEvent => {
  const e = body as Partial<Record<keyof LogEnvelope, unknown>> | null;
  const ok =
    typeof body === 'object' &&
    e !== null &&
    !Array.isArray(body) &&
    typeof e.stream === 'string' &&
    e.stream.length > 0 &&
    isRevision(e.revision) &&
    typeof e.schemaVersion === 'number' &&
    Number.isSafeInteger(e.schemaVersion) &&
    typeof e.data === 'string' &&
    typeof e.metadata === 'string' &&
    typeof e.digest === 'string' &&
    typeof e.hash === 'string';
  if (!ok || typeof type !== 'string' || type.length === 0) {
    throw new StrongroomError(ErrorCode.IntegrityError, `the KurrentDB log holds an event that is not a Strongroom event at position ${logRevision + 1}`, {
      position: logRevision + 1,
    });
  }
  return recordedFromEnvelope(logRevision, type, body as LogEnvelope);
};

/** Our event from a KurrentDB read or subscription result on the log stream. */
export const decodeResolved = (resolved: ResolvedEvent): RecordedEvent => {
  const event = resolved.event;
  if (!event) throw new StrongroomError(ErrorCode.IntegrityError, 'the KurrentDB log holds a link to a missing event');
  return decodeLogEvent(Number(event.revision), event.type, event.isJson ? event.data : null);
};
