import { publicRandomBytes } from '../../src/crypto/random-pool.js';

describe('pooled public random bytes', () => {
  it('never hands out the same bytes twice, across refills', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 5000; i++) seen.add(publicRandomBytes(16).toString('hex'));
    expect(seen.size).toBe(5000);
  });

  it('returns copies the caller may keep and modify', () => {
    const a = publicRandomBytes(16);
    const copy = Buffer.from(a);
    publicRandomBytes(8192 - 16);
    publicRandomBytes(16);
    expect(a.equals(copy)).toBe(true);
    expect(() => publicRandomBytes(8193)).toThrow(RangeError);
  });
});
