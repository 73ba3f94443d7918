import { pathToFileURL } from 'node:url';
import { tempHome } from '../support/temp-home.js';
import { assertBuilt, cliIn, parseJson } from './run-cli.js';

/**
 * A home initialised, and a secret written, by a process whose clock runs fast stays readable by
 * processes with the right clock. The skew is real: the children load test/support/shifted-clock.mjs,
 * which moves their wall clock (libfaketime is not available on our machines).
 */
const SHIFTED_CLOCK = pathToFileURL(new URL('../support/shifted-clock.mjs', import.meta.url).pathname).href;
const fastClock = (ms: number): NodeJS.ProcessEnv => ({ NODE_OPTIONS: `--import ${SHIFTED_CLOCK}`, STRONGROOM_TEST_CLOCK_SHIFT_MS: String(ms) });
const MINUTE = 60_000;
const VALUE = 'written-by-a-fast-clock-Tq83';

describe('strongroom CLI: clock skew between writer and reader', () => {
  beforeAll(assertBuilt);

  it.each([
    ['2 minutes', 2 * MINUTE],
    ['2 days', 2 * 24 * 60 * MINUTE],
  ])('a home initialised and written with a clock %s fast is read by a process with the right clock', async (_label, skew) => {
    const { home, cleanup } = tempHome('cli-skew');
    const { run } = cliIn(home);
    try {
      expect((await run(['init'], { env: fastClock(skew) })).code).toBe(0);
      const stored = await run(['add-secret', 'db/password', VALUE, '--json'], { env: fastClock(skew) });
      expect(stored.code).toBe(0);

      const read = await run(['get-secret', 'db/password']);
      expect({ code: read.code, stderr: read.stderr }).toEqual({ code: 0, stderr: '' });
      expect(read.stdout.trim()).toBe(VALUE);
      expect((await run(['audit', 'verify'])).code).toBe(0);

      // The writers' clocks really were fast: their events carry times ahead of the reader's.
      const trail = parseJson<{ type: string; occurredAt: string }[]>(await run(['audit', 'log', '--json']));
      const stamped = (type: string): number => Date.parse(trail.find((e) => e.type === type)?.occurredAt ?? '');
      expect(stamped('AuditKeyCreated')).toBeGreaterThan(Date.now() + skew / 2);
      expect(stamped('SecretStored')).toBeGreaterThan(Date.now() + skew / 2);
      expect(stamped('SecretAccessed')).toBeLessThanOrEqual(Date.now());
    } finally {
      cleanup();
    }
  });
});
