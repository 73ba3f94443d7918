/**
 * Bytes as text only when they are valid UTF-8: a `fatal` decoder throws where the default one would
 * put U+FFFD, and a replacement would silently change a secret value (README: such bytes are refused,
 * never replaced). A leading byte-order mark is dropped, as JSON parsers do (RFC 8259 section 8.1).
 * @returns the text, or undefined when the bytes are not valid UTF-8
 */
export const strictUtf8 = (bytes: Uint8Array): string | undefined => {
  try {
    return decoder.decode(bytes);
  } catch {
    return undefined;
  }
};

// One decoder: with no `stream` option every decode() is independent, so sharing it is safe.
const decoder = new TextDecoder('utf-8', { fatal: true });
