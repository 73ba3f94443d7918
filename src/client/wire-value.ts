import { StrongroomClientError } from './errors.js';

/**
 * Secret values on the wire, as the HTTP API and the bus carry them: text as `value`, bytes as
 * `valueBase64` (standard base64, RFC 4648 section 4). Written with `btoa`/`atob`, which Node 16+ and every
 * browser have, rather than Buffer, so the SDK stays browser-safe.
 */
export const valueFields = (value: string | Uint8Array): { value: string } | { valueBase64: string } => {
  if (typeof value === 'string') return { value };
  if (value instanceof Uint8Array) return { valueBase64: bytesToBase64(value) };
  // Callers in plain JavaScript (or past an `any`) reach here with a number, null, an object...: named,
  // never shown (it may be the secret), and before anything is sent.
  const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
  throw new StrongroomClientError('INVALID_INPUT', `a secret value must be a string or a Uint8Array, not ${kind}`);
};

/** The bytes of a value as a reply carries it (`value` text or `valueBase64`). */
export const valueBytes = (reply: { value?: unknown; valueBase64?: unknown }): Uint8Array => {
  if (typeof reply.valueBase64 === 'string') return base64ToBytes(reply.valueBase64);
  if (typeof reply.value === 'string') return new TextEncoder().encode(reply.value);
  throw new StrongroomClientError('BAD_RESPONSE', 'the server sent a read without a value');
};

/** Text exactly as a read carries it, decoded strictly when it came as base64 (no replacement characters). */
export const valueText = (reply: { value?: unknown; valueBase64?: unknown }): string =>
  typeof reply.value === 'string' ? reply.value : new TextDecoder('utf-8', { fatal: true }).decode(valueBytes(reply));

// Chunked, so a large value does not exceed the engine's argument limit of String.fromCharCode.
const CHUNK = 0x8000;

export const bytesToBase64 = (bytes: Uint8Array): string => {
  let binary = '';
  for (let i = 0; i < bytes.length; i += CHUNK) binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(binary);
};

export const base64ToBytes = (text: string): Uint8Array => {
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    throw new StrongroomClientError('BAD_RESPONSE', 'the server sent a value that is not base64');
  }
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
};
