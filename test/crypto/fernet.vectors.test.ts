import { readFileSync } from 'node:fs';
import { fernetDecrypt, fernetEncrypt, InvalidFernetTokenError, parseFernetKey } from '../../src/crypto/fernet.js';

/** The official Fernet test vectors (fernet/spec), copied unchanged into test/fixtures/fernet-spec. */
interface Vector {
  token: string;
  now: string;
  iv?: number[];
  src?: string;
  secret: string;
  ttl_sec?: number;
  desc?: string;
}
const load = (name: string): Vector[] =>
  JSON.parse(readFileSync(new URL(`../fixtures/fernet-spec/${name}.json`, import.meta.url), 'utf8')) as Vector[];

describe('Fernet official vectors', () => {
  it.each(load('generate'))('generates the exact token ($now)', (v) => {
    const token = fernetEncrypt(parseFernetKey(v.secret), v.src as string, { now: new Date(v.now), iv: Buffer.from(v.iv as number[]) });
    expect(token).toBe(v.token);
  });

  it.each(load('verify'))('verifies and decrypts ($now)', (v) => {
    const plain = fernetDecrypt(parseFernetKey(v.secret), v.token, { now: new Date(v.now), ttlSeconds: v.ttl_sec });
    expect(plain.toString('utf8')).toBe(v.src);
  });

  it.each(load('invalid'))('rejects: $desc', (v) => {
    expect(() => fernetDecrypt(parseFernetKey(v.secret), v.token, { now: new Date(v.now), ttlSeconds: v.ttl_sec })).toThrow(InvalidFernetTokenError);
  });
});
