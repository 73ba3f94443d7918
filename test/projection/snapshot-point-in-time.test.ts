import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Strongroom } from '../../src/bootstrap/strongroom.js';
import { SNAPSHOT_FILE } from '../../src/projection/projection-snapshot.js';
import { StoreSecret } from '../../src/secrets/commands/store-secret/store-secret.use-case.js';
import { UpdateSecret } from '../../src/secrets/commands/update-secret/update-secret.use-case.js';
import { GetSecret } from '../../src/secrets/queries/get-secret/get-secret.use-case.js';
import { GetStateAt } from '../../src/compliance/queries/get-state-at/get-state-at.use-case.js';
import type { Clock } from '../../src/shared/clock.js';
import { assertBuilt, cliIn, parseJson } from '../cli/run-cli.js';
import { serveHome } from '../http/http-harness.js';
import { ReplicaProcess } from '../replicas/replica-process.js';
import { NEVER_WRITE, openWithSnapshots } from '../support/snapshot-home.js';
import { tempHome } from '../support/temp-home.js';
import { TestClock } from '../support/test-clock.js';

/**
 * A time resolves to the same log position whether the projection was folded from the whole log or
 * restored from a snapshot (the snapshot carries the time index): on the CLI, over HTTP and in the
 * library, with the audited read recording that position as its `asOf`.
 */

const open = (home: string, minEvents: string, clock?: Clock): Promise<Strongroom> => openWithSnapshots({ home, ...(clock && { clock }) }, minEvents);

/** The `asOf` the audited read at `accessPosition` recorded. */
const recordedAsOf = async (home: string, accessPosition: number): Promise<unknown> => {
  const s = await open(home, NEVER_WRITE);
  try {
    const [event] = await s.runtime.store.readAll({ from: accessPosition - 1, maxCount: 1 });
    expect(event?.type).toBe('SecretAccessed');
    return (event?.data as { asOf?: unknown }).asOf;
  } finally {
    await s.close();
  }
};

describe('point in time with a projection snapshot (CLI and HTTP)', () => {
  const { home, cleanup } = tempHome('snap-pit');
  const { run } = cliIn(home);
  beforeAll(() => assertBuilt());
  afterAll(cleanup);

  it('resolves a time to the position of the last change before it, after a server wrote a snapshot', async () => {
    expect((await run(['init'])).code).toBe(0);
    expect((await run(['add-secret', 'app/key'], { input: 'one' })).code).toBe(0);
    expect((await run(['env', 'create', 'staging'])).code).toBe(0);
    const two = parseJson<{ position: number }>(await run(['update-secret', 'app/key', '--json'], { input: 'two' }));
    // Every event so far happened before this moment (their processes have exited); the next after it.
    const at = new Date().toISOString();
    expect((await run(['update-secret', 'app/key'], { input: 'three' })).code).toBe(0);
    expect((await run(['get-secret', 'app/key', '--at', at])).stdout).toBe('two');

    // A `serve` process that folded enough writes a snapshot when it is stopped (SIGTERM).
    const writer = await ReplicaProcess.start(home, `sqlite:${join(home, 'strongroom.db')}`, { STRONGROOM_SNAPSHOT_MIN_EVENTS: '1' });
    expect(await writer.stop()).toBe(0);
    expect(readFileSync(join(home, SNAPSHOT_FILE), 'utf8')).toContain('"app/key"');

    const cli = parseJson<{ value?: string; asOf?: number; accessPosition?: number }>(await run(['get-secret', 'app/key', '--at', at, '--json']));
    expect(cli.asOf).toBe(two.position);
    expect((await run(['get-secret', 'app/key', '--at', at])).stdout).toBe('two');
    const state = parseJson<{ position: number; secrets: { name: string; version: number }[] }>(await run(['state', '--at', at, '--json']));
    expect(state.position).toBe(two.position);
    expect(state.secrets.map((s) => [s.name, s.version])).toEqual([['app/key', 2]]);

    // Over HTTP, from a server that restored the snapshot (and does not rewrite it).
    const server = await serveHome(home, { STRONGROOM_SNAPSHOT_MIN_EVENTS: NEVER_WRITE });
    try {
      const read = await server.client.get(`/v1/secrets/app%2Fkey?at=${encodeURIComponent(at)}`);
      expect(read.status).toBe(200);
      expect(read.json).toMatchObject({ value: 'two', version: 2, asOf: two.position });
      expect(await recordedAsOf(home, read.json.accessPosition as number)).toBe(two.position);
    } finally {
      await server.stop();
    }
  });
});

describe('point in time with a projection snapshot written by a library process', () => {
  let home: string;
  let cleanup: () => void;
  beforeEach(() => ({ home, cleanup } = tempHome('snap-pit-lib')));
  afterEach(() => cleanup());

  it('answers every time as a projection folded from the whole log does, and records that position', async () => {
    const clock = new TestClock('2026-03-01T00:00:00.000Z');
    const positions: number[] = [];
    const writer = await open(home, '1', clock);
    positions.push((await writer.execute(StoreSecret, { name: 'db/password', value: 'v1' })).position);
    for (let v = 2; v <= 4; v++) {
      clock.advanceDays(1);
      positions.push((await writer.execute(UpdateSecret, { ref: 'db/password', value: `v${v}` })).position);
    }
    await writer.close();

    const fromLog = await open(home, '0'); // snapshots off: folds the whole log
    const fromSnapshot = await open(home, NEVER_WRITE);
    try {
      // The snapshot was used: the secret events before it were not folded again.
      expect(fromSnapshot.runtime.projection.foldedSinceStart).toBeLessThan(fromLog.runtime.projection.foldedSinceStart);
      expect(fromSnapshot.runtime.projection.times.entries()).toEqual(fromLog.runtime.projection.times.entries());
      for (let day = 0; day < 4; day++) {
        const at = new Date(Date.parse('2026-03-01T12:00:00.000Z') + day * 86_400_000).toISOString();
        const state = await fromSnapshot.execute(GetStateAt, { at });
        expect(state.position).toBe(positions[day]);
        const read = await fromSnapshot.execute(GetSecret, { ref: 'db/password', at });
        expect([read.bytes.toString('utf8'), read.asOf]).toEqual([`v${day + 1}`, positions[day]]);
        const [access] = await fromSnapshot.runtime.store.readAll({ from: read.accessPosition - 1, maxCount: 1 });
        expect((access?.data as { asOf?: number }).asOf).toBe(positions[day]);
      }
    } finally {
      await fromSnapshot.close();
      await fromLog.close();
    }
  });
});
