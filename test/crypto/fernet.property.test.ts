import fc from 'fast-check';
import { fernetDecrypt, fernetEncrypt, generateFernetKey, InvalidFernetTokenError, parseFernetKey } from '../../src/crypto/fernet.js';

const key = parseFernetKey(generateFernetKey());
const other = parseFernetKey(generateFernetKey());

const flip = (token: string, index: number, bit: number): string => {
  const raw = Buffer.from(token, 'base64url');
  const at = index % raw.length;
  raw[at] = (raw[at] ?? 0) ^ (1 << bit);
  return raw.toString('base64url') + '='.repeat((4 - (raw.toString('base64url').length % 4)) % 4);
};

describe('Fernet properties', () => {
  it('round-trips any bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 2048 }), (bytes) => fernetDecrypt(key, fernetEncrypt(key, Buffer.from(bytes))).equals(Buffer.from(bytes))));
  });

  it('rejects a token with any single bit flipped', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), fc.nat(), fc.integer({ min: 0, max: 7 }), (bytes, index, bit) => {
        const tampered = flip(fernetEncrypt(key, Buffer.from(bytes)), index, bit);
        expect(() => fernetDecrypt(key, tampered)).toThrow(InvalidFernetTokenError);
      }),
    );
  });

  it('rejects the wrong key, truncation and garbage', () => {
    const token = fernetEncrypt(key, 'hello');
    expect(() => fernetDecrypt(other, token)).toThrow(InvalidFernetTokenError);
    expect(() => fernetDecrypt(key, token.slice(0, -8))).toThrow(InvalidFernetTokenError);
    expect(() => fernetDecrypt(key, 'not a token!')).toThrow(InvalidFernetTokenError);
    expect(() => fernetDecrypt(key, '')).toThrow(InvalidFernetTokenError);
  });

  it('parses only well-formed 32-byte urlsafe keys and never echoes the input', () => {
    const good = generateFernetKey();
    expect(() => parseFernetKey(good + '\n')).not.toThrow();
    for (const bad of [good.slice(0, 40), good.replace(/[A-Za-z]/, '+'), 'x'.repeat(44), '', 42, null, Buffer.alloc(32).toString('base64url') + 'AAAA']) {
      try {
        parseFernetKey(bad);
        throw new Error(`accepted ${String(bad)}`);
      } catch (e) {
        expect((e as { code?: string }).code).toBe('KEY_UNAVAILABLE');
        if (typeof bad === 'string' && bad.length > 8) expect((e as Error).message).not.toContain(bad);
      }
    }
  });
});
