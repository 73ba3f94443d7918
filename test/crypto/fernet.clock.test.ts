import { readFileSync } from 'node:fs';
import {
  fernetDecrypt,
  fernetEncrypt,
  FernetTokenTimeError,
  generateFernetKey,
  InvalidFernetTokenError,
  parseFernetKey,
  unwrapKey,
  wrapKey,
} from '../../src/crypto/fernet.js';

/**
 * Stored tokens must not depend on the reader's clock (Fernet spec: the timestamp is checked only for
 * tokens verified with a TTL). Writers here use a real clock reading shifted forward; the reader uses
 * the real clock.
 */
const key = parseFernetKey(generateFernetKey());
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const ahead = (ms: number): Date => new Date(Date.now() + ms);

const errorOf = (work: () => unknown): Error => {
  try {
    work();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
};

describe('Fernet and clock skew', () => {
  it.each([
    ['2 minutes', 2 * MINUTE],
    ['2 days', 2 * DAY],
  ])('a token made %s in the future decrypts without a TTL', (_label, skew) => {
    const token = fernetEncrypt(key, 'made-by-a-fast-clock', { now: ahead(skew) });
    expect(fernetDecrypt(key, token).toString('utf8')).toBe('made-by-a-fast-clock');
  });

  it('a key wrapped by a process whose clock is 2 days fast unwraps', () => {
    const raw = Buffer.alloc(32, 7);
    const wrapped = fernetEncrypt(key, raw, { now: ahead(2 * DAY) });
    expect(unwrapKey(key, wrapped).equals(raw)).toBe(true);
    expect(unwrapKey(key, wrapKey(key, raw)).equals(raw)).toBe(true);
  });

  it('a very old token decrypts without a TTL', () => {
    const token = fernetEncrypt(key, 'old', { now: new Date('1985-10-26T08:20:01Z') });
    expect(fernetDecrypt(key, token).toString('utf8')).toBe('old');
  });

  it('with a TTL, a token from the future is refused as a clock problem, not as a bad key', () => {
    const token = fernetEncrypt(key, 'x', { now: ahead(2 * MINUTE) });
    const error = errorOf(() => fernetDecrypt(key, token, { ttlSeconds: 3600 }));
    expect(error).toBeInstanceOf(FernetTokenTimeError);
    expect(error).toBeInstanceOf(InvalidFernetTokenError);
    expect(error.message).toMatch(/in the future, more than the allowed clock skew of 60 s/);
    expect(error.message).toMatch(/clock/);
    // Within the allowed skew it is accepted, as the spec's vectors require.
    expect(fernetDecrypt(key, fernetEncrypt(key, 'y', { now: ahead(30_000) }), { ttlSeconds: 3600 }).toString()).toBe('y');
  });

  it('with a TTL, an old token is refused as expired', () => {
    const token = fernetEncrypt(key, 'x', { now: new Date(Date.now() - 2 * DAY) });
    const error = errorOf(() => fernetDecrypt(key, token, { ttlSeconds: 3600 }));
    expect(error).toBeInstanceOf(FernetTokenTimeError);
    expect(error.message).toMatch(/expired/);
  });

  it('a forged token is never explained by its timestamp: the MAC is checked first', () => {
    const token = Buffer.from(fernetEncrypt(key, 'x', { now: ahead(2 * DAY) }).replace(/=+$/, ''), 'base64url');
    token[token.length - 1] = (token[token.length - 1] ?? 0) ^ 1;
    const error = errorOf(() => fernetDecrypt(key, token.toString('base64url'), { ttlSeconds: 60 }));
    expect(error).toBeInstanceOf(InvalidFernetTokenError);
    expect(error).not.toBeInstanceOf(FernetTokenTimeError);
    expect(error.message).toBe('invalid Fernet token');
  });

  it("names the cause of the spec's own time vectors, and only of those", () => {
    const vectors = JSON.parse(readFileSync(new URL('../fixtures/fernet-spec/invalid.json', import.meta.url), 'utf8')) as {
      token: string;
      now: string;
      secret: string;
      ttl_sec: number;
      desc: string;
    }[];
    const timeErrors = vectors
      .filter((v) => errorOf(() => fernetDecrypt(parseFernetKey(v.secret), v.token, { now: new Date(v.now), ttlSeconds: v.ttl_sec })) instanceof FernetTokenTimeError)
      .map((v) => v.desc);
    expect(timeErrors.sort()).toEqual(['expired TTL', 'far-future TS (unacceptable clock skew)']);
  });
});
