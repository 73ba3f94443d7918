import { ErrorCode, StrongroomError } from '../shared/errors.js';
import type { RawSecretValue } from './domain/secret-value.js';

/**
 * How JSON interfaces (HTTP, the bus) carry a secret value: `value` for text, `valueBase64` for bytes
 * (standard base64, RFC 4648 section 4). Exactly one of them.
 */
export interface JsonValueFields {
  readonly value?: unknown;
  readonly valueBase64?: unknown;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * The value a JSON body carries, undecoded when it is text (the domain checks it), decoded when it is
 * base64. Malformed base64 is refused rather than decoded leniently (Node's decoder skips bad characters).
 * @throws INVALID_INPUT when both or neither are present, or the base64 is malformed.
 */
export const valueFromJson = (body: JsonValueFields): RawSecretValue | unknown => {
  const hasText = body.value !== undefined;
  const hasBytes = body.valueBase64 !== undefined;
  if (hasText && hasBytes) throw new StrongroomError(ErrorCode.InvalidInput, 'send either value (text) or valueBase64 (bytes), not both');
  if (!hasBytes) return body.value;
  if (typeof body.valueBase64 !== 'string' || !BASE64.test(body.valueBase64)) {
    throw new StrongroomError(ErrorCode.InvalidInput, 'valueBase64 must be standard base64 (RFC 4648, with padding)');
  }
  return new Uint8Array(Buffer.from(body.valueBase64, 'base64'));
};

/** A value for a JSON reply: text as `value`, bytes (or any value when `base64` is asked) as `valueBase64`. */
export const valueToJson = (bytes: Buffer, binary: boolean, base64 = false): { value: string } | { valueBase64: string; binary: boolean } =>
  binary || base64 ? { valueBase64: bytes.toString('base64'), binary } : { value: bytes.toString('utf8') };
