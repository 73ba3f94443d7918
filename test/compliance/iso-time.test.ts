import fc from 'fast-check';
import { IsoFormatter } from '../../src/compliance/access-index/iso-time.js';

/** The access index's ISO formatter writes exactly what toISOString writes, for any time in the Date range, in any order. */
describe('IsoFormatter', () => {
  it('equals toISOString over the whole Date range, days shared or not', () => {
    const LIMIT = 8.64e15;
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: -LIMIT, max: LIMIT }), fc.integer({ min: 1_767_225_600_000, max: 1_767_225_600_000 + 3 * 86_400_000 })), { minLength: 1, maxLength: 50 }), (times) => {
        const iso = new IsoFormatter();
        for (const ms of times) expect(iso.format(ms)).toBe(new Date(ms).toISOString());
      }),
      { numRuns: 2000 },
    );
    const iso = new IsoFormatter();
    for (const ms of [-LIMIT, LIMIT, 0, -1, 86_399_999, 253_402_300_799_999, 253_402_300_800_000, -62_167_219_200_001]) expect(iso.format(ms)).toBe(new Date(ms).toISOString());
  });
});
