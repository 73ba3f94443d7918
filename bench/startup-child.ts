import { HmacChainSealer } from '../src/audit/event-seal.js';
import { Strongroom } from '../src/bootstrap/strongroom.js';
import { resolveOptions } from '../src/config/options.js';
import Database from 'better-sqlite3';
import { categoryOf, type EventStore } from '../src/event-store/event-store.port.js';
import { openEventStore } from '../src/event-store/open-event-store.js';
import { KEYS_STREAM } from '../src/keys/domain/key-events.js';
import { evolveKeyring, initialKeyring } from '../src/keys/domain/keyring-state.js';
import { openKeyring } from '../src/keys/open-keyring.js';
import { parseKeyringEvent } from '../src/projection/parse-events.js';
import { PROJECTED_CATEGORIES, StrongroomProjection } from '../src/projection/strongroom-projection.js';
import { createLogger } from '../src/shared/logger.js';
import { minimalMapBytes, rawReadRows } from './baselines.js';
import { readLatency, type LatencyFigures, type RebuildFigures, type ReplayFigures, type StartupFigures } from './strongroom.bench.js';

/**
 * One cold measurement per process (spawned by strongroom.bench.ts with --expose-gc), printed as one
 * JSON line:
 *   startup <home>          Strongroom.open() time (from the projection snapshot the seeding left), and
 *                           heap/RSS growth across it after gc
 *   startup-nosnap <home>   the same with snapshots off: the whole projection rebuilt from the log
 *   rebuild <home>          the projection rebuild alone: events folded / its time (cold, then warm),
 *                           and the same rows read by raw better-sqlite3 as the baseline
 *   replay <home>           cold replay of the WHOLE log (every category, access events included, no
 *                           snapshot, no category index): events read / time, folding the projected
 *                           ones; baseline: raw better-sqlite3 read of every row in position order
 *   map <home> <n> <len>    heap/RSS of a bare Map<id, ciphertext> of n entries (memory baseline)
 *   latency <home> <n> <reads>   audited GetSecret latency over secrets s-0..s-(n-1) from 64 callers
 *                           (readLatency), with the garbage collector's pauses during the measured reads
 */

const quiet = createLogger({ silent: true });
const seconds = (since: bigint): number => Number(process.hrtime.bigint() - since) / 1e9;
const gc = (): void => {
  global.gc?.();
  global.gc?.();
};

/** `snapshots`: false opens with snapshots off (STRONGROOM_SNAPSHOT_MIN_EVENTS=0): the whole rebuild. */
const startup = async (home: string, snapshots: boolean): Promise<StartupFigures> => {
  const options = resolveOptions({ env: snapshots ? {} : { STRONGROOM_SNAPSHOT_MIN_EVENTS: '0' }, home });
  gc();
  const before = process.memoryUsage();
  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const s = await Strongroom.open(options, { initialiseIfEmpty: false, interface: 'library', logger: quiet });
  const openMs = seconds(t0) * 1000;
  const cpu = process.cpuUsage(cpu0);
  const openCpuMs = (cpu.user + cpu.system) / 1000;
  const processReadyMs = performance.now();
  gc();
  const after = process.memoryUsage();
  const liveSecrets = s.runtime.projection.liveCount;
  const folded = s.runtime.projection.foldedSinceStart;
  await s.close();
  return { openMs, openCpuMs, processReadyMs, liveSecrets, folded, heapDelta: after.heapUsed - before.heapUsed, rssDelta: after.rss - before.rss };
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

/** Every event of the log through the store port, in pages, the projected ones folded. */
const replay = async (home: string): Promise<ReplayFigures> => {
  const options = resolveOptions({ env: {}, home });
  const sealer = new HmacChainSealer();
  const store = await openEventStore(options.store, sealer);
  try {
    const state = (await store.readStream(KEYS_STREAM)).map(parseKeyringEvent).reduce(evolveKeyring, initialKeyring());
    const keyring = openKeyring(options.masterKeyFile, state, quiet);
    keyring.sync(state);
    const projection = new StrongroomProjection(keyring, quiet);
    const projected = new Set<string>(PROJECTED_CATEGORIES);
    gc();
    const t0 = process.hrtime.bigint();
    let events = 0;
    let from = 0;
    for (;;) {
      const page = await store.readAll({ from, maxCount: 10_000 });
      if (page.length === 0) break;
      events += page.length;
      projection.apply(
        page.filter((e) => projected.has(categoryOf(e.stream))),
        { startingUp: true },
      );
      from = (page.at(-1) as { position: number }).position;
    }
    const seconds_ = seconds(t0);
    await store.close();
    gc();
    const db = new Database(options.store.slice('sqlite:'.length), { readonly: true });
    let rawRows = 0;
    const r0 = process.hrtime.bigint();
    try {
      const stmt = db.prepare('SELECT position, stream, revision, type, schema_version, data, metadata, digest, hash FROM events WHERE position > ? ORDER BY position LIMIT 10000').raw();
      for (let after = 0; ; ) {
        const rows = stmt.all(after) as unknown[][];
        if (rows.length === 0) break;
        rawRows += rows.length;
        after = (rows.at(-1) as unknown[])[0] as number;
      }
    } finally {
      db.close();
    }
    return { events, seconds: seconds_, liveSecrets: projection.liveCount, rawRows, rawSeconds: seconds(r0) };
  } finally {
    await store.close();
  }
};

/** Audited-read latency in a process of its own (so no other size's heap is in it), and the GC pauses during it. */
const latency = async (home: string, secrets: number, reads: number): Promise<LatencyFigures> => {
  const s = await Strongroom.open(resolveOptions({ env: {}, home }), { initialiseIfEmpty: false, interface: 'library', logger: quiet });
  try {
    const names = Array.from({ length: secrets }, (_, i) => `s-${i}`);
    gc();
    const heapBytes = process.memoryUsage().heapUsed;
    return { ...(await readLatency(s, names, reads)), heapBytes };
  } finally {
    await s.close();
  }
};

const [mode, home, ...args] = process.argv.slice(2);
if (!home) throw new Error('usage: startup-child.js startup|rebuild|map <home> [...]');
const result =
  mode === 'startup'
    ? await startup(home, true)
    : mode === 'startup-nosnap'
      ? await startup(home, false)
    : mode === 'rebuild'
      ? await rebuild(home)
      : mode === 'replay'
        ? await replay(home)
      : mode === 'map'
        ? minimalMapBytes(Number(args[0]), Number(args[1]))
      : mode === 'latency'
        ? await latency(home, Number(args[0]), Number(args[1]))
        : (() => {
            throw new Error(`unknown mode ${mode}`);
          })();
process.stdout.write(`${JSON.stringify(result)}\n`);
