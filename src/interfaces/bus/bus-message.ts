import type { BusHeaders } from './bus-adapter.js';
import type { BusReply } from './bus-error.js';
import { strictUtf8 } from '../../shared/strict-utf8.js';
import { duplicateJsonKey, duplicateKeyError } from '../../shared/duplicate-json-keys.js';

/** The headers of a NATS message, as nats.js and JetStream both give them. */
export interface NatsHeadersLike {
  keys(): string[];
  values(name: string): string[];
}

/** A message's headers, matched ignoring case (NATS header names are case-preserving, HTTP's are not). */
export const busHeadersOf = (raw: NatsHeadersLike | undefined): BusHeaders => {
  const values = (name: string): string[] => (raw === undefined ? [] : raw.keys().filter((k) => k.toLowerCase() === name).flatMap((k) => raw.values(k)));
  return { values, get: (name) => values(name)[0] };
};

/**
 * A payload's JSON, for request-reply and the work queue alike: empty is `{}`; bytes that are not valid
 * UTF-8 or not JSON are refused with a reply that never quotes them (they may hold a value). The bytes
 * are decoded strictly (strictUtf8): nats.js's `json()` would replace invalid bytes with U+FFFD. A
 * payload repeating a key in one object (at any depth) is refused naming the key, never a value:
 * JSON.parse would keep the last value silently.
 */
export const payloadJson = (data: Uint8Array): { readonly payload: unknown } | { readonly refusal: BusReply } => {
  if (data.length === 0) return { payload: {} };
  const text = strictUtf8(data);
  if (text === undefined) return { refusal: { error: { code: 'INVALID_INPUT', message: 'the message is not valid UTF-8: send bytes as valueBase64' } } };
  let payload: unknown;
  try {
    payload = JSON.parse(text) as unknown;
  } catch {
    return { refusal: { error: { code: 'INVALID_INPUT', message: 'the message must be JSON' } } };
  }
  const repeated = duplicateJsonKey(text);
  if (repeated !== undefined) return { refusal: { error: { code: 'INVALID_INPUT', message: duplicateKeyError('the message', repeated).message } } };
  return { payload };
};

/**
 * Why the server must not publish a reply to `subject`, or undefined when it may. A reply subject is the
 * requester's choice, and the server publishes there with its own NATS permissions, so a requester
 * (even without a token) could otherwise make it write where the requester may not:
 *   - `<prefix>.<env>.events.…` : the events stream (a forged event for every subscriber);
 *   - `<prefix>.queue.…` : the durable command queue (a queued command);
 *   - `<prefix>.<env>.cmd.…` : the command subjects (the server sending itself a request);
 *   - `$…` : NATS system and JetStream API subjects (`$JS.API.STREAM.PURGE.<stream>` would purge a stream).
 * Any other subject stays allowed, `<prefix>.replies` included (docs/BUS.md's queue examples use one).
 */
export const refusedReplySubject = (prefix: string, subject: string): string | undefined => {
  if (subject.startsWith('$')) return 'the reply subject is a NATS system or JetStream API subject';
  if (!subject.startsWith(`${prefix}.`)) return undefined;
  const [first, second] = subject.slice(prefix.length + 1).split('.');
  if (first === 'queue') return 'the reply subject is one of the command queue\'s subjects';
  if (second === 'events') return 'the reply subject is one of the events stream\'s subjects';
  if (second === 'cmd') return 'the reply subject is a command subject';
  return undefined;
};
