import { HmacChainSealer } from '../src/audit/event-seal.js';
import { Strongroom } from '../src/bootstrap/strongroom.js';
import { resolveOptions } from '../src/config/options.js';
import type { EventStore } from '../src/event-store/event-store.port.js';
import { openEventStore } from '../src/event-store/open-event-store.js';
import { KEYS_STREAM } from '../src/keys/domain/key-events.js';
import { evolveKeyring, initialKeyring } from '../src/keys/domain/keyring-state.js';
import { openKeyring } from '../src/keys/open-keyring.js';
import { parseKeyringEvent } from '../src/projection/parse-events.js';
import { PROJECTED_CATEGORIES, StrongroomProjection } from '../src/projection/strongroom-projection.js';
import { createLogger } from '../src/shared/logger.js';
import { minimalMapBytes, rawReadRows } from './baselines.js';
import type { RebuildFigures, StartupFigures } from './strongroom.bench.js';

/**
 * One cold measurement per process (spawned by strongroom.bench.ts with --expose-gc), printed as one
 * JSON line:
 *   startup <home>          Strongroom.open() time, and heap/RSS growth across it after gc
 *   rebuild <home>          the projection rebuild alone: events folded / its time (cold, then warm),
 *                           and the same rows read by raw better-sqlite3 as the baseline
 *   map <home> <n> <len>    heap/RSS of a bare Map<id, ciphertext> of n entries (memory baseline)
 */

const quiet = createLogger({ silent: true });
const seconds = (since: bigint): number => Number(process.hrtime.bigint() - since) / 1e9;
const gc = (): void => {
  global.gc?.();
  global.gc?.();
};

const startup = async (home: string): Promise<StartupFigures> => {
  const options = resolveOptions({ env: {}, home });
  gc();
  const before = process.memoryUsage();
  const t0 = process.hrtime.bigint();
  const s = await Strongroom.open(options, { initialiseIfEmpty: false, interface: 'library', logger: quiet });
  const openMs = seconds(t0) * 1000;
  const processReadyMs = performance.now();
  gc();
  const after = process.memoryUsage();
  const liveSecrets = s.runtime.projection.liveCount;
  await s.close();
  return { openMs, processReadyMs, liveSecrets, heapDelta: after.heapUsed - before.heapUsed, rssDelta: after.rss - before.rss };
};

/** What prepareRuntime does before the rebuild (store, keys), then the rebuild itself, timed alone. */
const rebuild = async (home: string): Promise<RebuildFigures> => {
  const options = resolveOptions({ env: {}, home });
  const sealer = new HmacChainSealer();
  const store = await openEventStore(options.store, sealer);
  try {
    const state = (await store.readStream(KEYS_STREAM)).map(parseKeyringEvent).reduce(evolveKeyring, initialKeyring());
    const keyring = openKeyring(options.masterKeyFile, state, quiet);
    keyring.sync(state);
    sealer.useKey(keyring.auditKey);
    let events = 0;
    const counting: EventStore = {
      readAll: async (o) => {
        const page = await store.readAll(o);
        events += page.length;
        return page;
      },
      readStream: (stream, o) => store.readStream(stream, o),
      subscribe: (o, handler) => store.subscribe(o, handler),
      headPosition: () => store.headPosition(),
      appendToStream: (stream, e, o) => store.appendToStream(stream, e, o),
      importRecorded: (e) => store.importRecorded(e),
      redact: (r) => store.redact(r),
      catchUp: () => store.catchUp(),
      close: () => store.close(),
    };
    const timeOne = async (): Promise<number> => {
      const projection = new StrongroomProjection(keyring, quiet);
      const t0 = process.hrtime.bigint();
      await projection.start(counting);
      const s = seconds(t0);
      await projection.stop();
      return s;
    };
    const coldSeconds = await timeOne();
    const folded = events;
    gc();
    const warmSeconds = await timeOne();
    await store.close();
    gc();
    const raw = rawReadRows(options.store.slice('sqlite:'.length), PROJECTED_CATEGORIES);
    return { events: folded, coldSeconds, warmSeconds, rawRows: raw.rows, rawSeconds: raw.seconds };
  } finally {
    await store.close();
  }
};

const [mode, home, ...args] = process.argv.slice(2);
if (!home) throw new Error('usage: startup-child.js startup|rebuild|map <home> [...]');
const result =
  mode === 'startup'
    ? await startup(home)
    : mode === 'rebuild'
      ? await rebuild(home)
      : mode === 'map'
        ? minimalMapBytes(Number(args[0]), Number(args[1]))
        : (() => {
            throw new Error(`unknown mode ${mode}`);
          })();
process.stdout.write(`${JSON.stringify(result)}\n`);
