import { ErrorCode, StrongroomError } from '../../shared/errors.js';

/**
 * A secret value as bytes, exactly as it will come back (issue: a PEM file's final newline was
 * dropped). `binary` values are any bytes (DER certificates, keystores) and are returned as bytes;
 * text values are valid UTF-8 and are returned as strings. Nothing is ever trimmed, replaced or
 * re-encoded on the way in or out.
 */
export interface SecretValue {
  readonly bytes: Buffer;
  readonly binary: boolean;
}

/** How a value arrives from an interface: a string (text) or bytes (binary). */
export type RawSecretValue = string | Uint8Array;

const invalid = (message: string): StrongroomError => new StrongroomError(ErrorCode.InvalidInput, message);

/**
 * Checks a value and turns it into bytes. A string must be well-formed Unicode: a lone surrogate
 * (possible in JSON's `\ud800` or a JavaScript string) has no UTF-8 form and would otherwise be
 * replaced by U+FFFD silently. The limit (`maxBytes`, STRONGROOM_MAX_VALUE_BYTES) is measured on the
 * bytes stored, never on how a request encoded them. The value never appears in a message.
 * @throws INVALID_INPUT (wrong type, empty, not well-formed), VALUE_TOO_LARGE (over `maxBytes` bytes)
 */
export const toSecretValue = (raw: unknown, maxBytes: number): SecretValue => {
  let value: SecretValue;
  if (typeof raw === 'string') {
    if (!raw.isWellFormed()) throw invalid('the secret value is not well-formed Unicode text (it holds a lone surrogate); send it as binary (base64) instead');
    // Cheap bound first: a UTF-16 unit is at most 3 UTF-8 bytes.
    if (raw.length > maxBytes) tooLarge(Buffer.byteLength(raw, 'utf8'), maxBytes);
    value = { bytes: Buffer.from(raw, 'utf8'), binary: false };
  } else if (raw instanceof Uint8Array) {
    value = { bytes: Buffer.from(raw), binary: true };
  } else {
    throw invalid('the secret value must be a string (text) or bytes (binary)');
  }
  if (value.bytes.length === 0) throw invalid('the secret value must not be empty');
  if (value.bytes.length > maxBytes) tooLarge(value.bytes.length, maxBytes);
  return value;
};

const tooLarge = (bytes: number, maxBytes: number): never => {
  throw new StrongroomError(ErrorCode.ValueTooLarge, `the secret value is ${bytes} bytes; the limit is ${maxBytes} bytes (STRONGROOM_MAX_VALUE_BYTES)`, {
    bytes,
    limit: maxBytes,
  });
};

/** True when `bytes` are valid UTF-8 (so they can be stored as text and come back as the same string). */
export const isUtf8 = (bytes: Uint8Array): boolean => {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
};
