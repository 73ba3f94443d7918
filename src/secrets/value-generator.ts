import { randomInt } from 'node:crypto';
import { CHARSETS } from './domain/lifecycle-rules.js';
import type { GeneratorSpec } from './domain/secret-events.js';

/**
 * A random value for `--generate`: `length` characters drawn uniformly and independently from the
 * charset. crypto.randomInt draws by rejection sampling from the CSPRNG, so there is no modulo bias
 * (a hand-written `byte % n` would favour the first 256 mod n characters). The value is returned to be
 * encrypted at once; it is never logged or printed here.
 */
export const generateValue = (spec: GeneratorSpec): string => {
  const alphabet = CHARSETS[spec.charset];
  if (alphabet === undefined) throw new Error(`unknown charset ${spec.charset}`);
  let out = '';
  for (let i = 0; i < spec.length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
};
