// Test-only preload: this process's wall clock runs STRONGROOM_TEST_CLOCK_SHIFT_MS milliseconds ahead (or
// behind, if negative). Loaded into a child with `NODE_OPTIONS=--import <this file>`, it stands in for
// libfaketime (not installed on our machines): every `new Date()` and `Date.now()` in the child, ours and
// our dependencies', sees the shifted time, as on a machine whose clock is wrong. Never used by `src/`.
const shift = Number(process.env.STRONGROOM_TEST_CLOCK_SHIFT_MS ?? '0');
if (!Number.isFinite(shift)) throw new Error('STRONGROOM_TEST_CLOCK_SHIFT_MS must be a number of milliseconds');

const RealDate = Date;
class ShiftedDate extends RealDate {
  constructor(...args) {
    if (args.length === 0) super(RealDate.now() + shift);
    else super(...args);
  }

  static now() {
    return RealDate.now() + shift;
  }
}
globalThis.Date = ShiftedDate;
