import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { benchFollowerLatency, benchPgReads, benchPgStores, benchPostgresUrl, percentile, rawPgBatchedInserts } from './postgres.bench.js';
import { benchHttp } from './http.bench.js';
import { benchPolicyReads, benchTokenCheck } from './policy.bench.js';
import { benchBusRequestReply, benchEventsOut } from './bus.bench.js';
import { benchPointInTime, benchScans, headOf, seedComplianceHome, type PointInTimeFigures, type ScanFigures } from './compliance.bench.js';
import { median, renderTable, type Row } from './table.js';
import {
  benchFernet,
  benchReads,
  benchRotateKey,
  benchStores,
  inChild,
  openAt,
  storeMany,
  seedEmptyHome,
  seedStartupHome,
  withHome,
  withHomes,
  type LatencyFigures,
  type RebuildFigures,
  type ReplayFigures,
  type StartupFigures,
} from './strongroom.bench.js';

/**
 * `npm run bench`: every figure is the median of BENCH_RUNS runs, printed beside a baseline measured in
 * the same run. Nothing here asserts a timing; targets are printed, never enforced.
 *
 *   BENCH_RUNS=5       runs per figure (at least 1; 3 or more for a median worth reading)
 *   BENCH_SCALE=0.1    scales every size (defaults are the issue's: start-up over 1,000,000 secrets and
 *                      10,000,000 access events, read latency at 1,000 / 100,000 / 1,000,000 secrets)
 *   BENCH_ONLY=fernet,stores,reads,policy,http,startup,scale,rotate,postgres,bus,compliance   a subset of the sections
 *   BENCH_HTTP_SECONDS=10   seconds of load per HTTP figure (after a warm-up of a fifth of it, at least 1 s)
 *   BENCH_ONLY=compliance-scans   the compliance scans (report, replay, export) without point in time
 *   BENCH_COMPLIANCE_HOME=DIR     keep the seeded access log there and reuse it on later runs
 *   BENCH_COMPLIANCE_EXPORT=0     skip export and public verification (minutes each at full size)
 *   BENCH_COMPLIANCE_ROWS=0       skip the report as library rows (one thread)
 *   BENCH_SCALE_HOME=DIR:N        with BENCH_ONLY=scale: the latency-at-size figures over a home already
 *                                 seeded with N secrets (s-0..s-(N-1)), instead of seeding the start-up home
 */

const env = process.env;
const RUNS = Math.max(1, Number(env.BENCH_RUNS ?? 5) || 5);
const SCALE = Number(env.BENCH_SCALE ?? 1) || 1;
const ONLY = new Set((env.BENCH_ONLY ?? 'fernet,stores,reads,policy,http,startup,scale,rotate,postgres,bus,compliance').split(',').map((s) => s.trim()));
const sized = (n: number): number => Math.max(1, Math.round(n * SCALE));
const HTTP_SECONDS = Math.max(1, Number(env.BENCH_HTTP_SECONDS ?? 10) || 10);

const SIZES = {
  fernetOps: sized(200_000),
  stores: sized(100_000),
  storeWarmup: sized(5_000),
  readSecrets: sized(10_000),
  reads: sized(200_000),
  readWarmup: sized(10_000),
  startupSecrets: sized(1_000_000),
  startupAccesses: sized(10_000_000),
  scaleReads: sized(50_000),
  rotateSecrets: sized(100_000),
  pgStores: sized(20_000),
  pgReadSecrets: sized(2_000),
  pgReads: sized(40_000),
  pgFollowWrites: sized(1_000),
  policySecrets: sized(10_000),
  policyReads: sized(100_000),
  policyRules: 1_000,
  tokenChecks: sized(200_000),
  busRequests: sized(20_000),
  busEventStores: sized(20_000),
  pitEvents: sized(1_000_000),
  pitSecrets: sized(20_000),
  auditAccesses: sized(10_000_000),
  auditSecrets: sized(1_000),
  httpSecrets: sized(1_000),
};

const log = (message: string): void => {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
};
/** `n` runs one after another (never concurrently), with a gc between them. */
const times = async <T>(n: number, f: (run: number) => Promise<T>): Promise<T[]> => {
  const out: T[] = [];
  for (let run = 0; run < n; run++) {
    out.push(await f(run));
    global.gc?.();
  }
  return out;
};

const atLeast = (n: number) => (value: number) => value >= n;
const rows: Row[] = [];
const started = Date.now();

const cpuModel = ((): string => {
  try {
    return /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpus()[0]?.model ?? 'unknown';
  } catch {
    return cpus()[0]?.model ?? 'unknown';
  }
})();
const load = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');
const machine = `${cpus().length} CPU(s), ${cpuModel}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}, ${process.platform}`;

if (!global.gc) log('warning: run with --expose-gc (npm run bench does) for memory figures and steadier runs');
const loadBefore = load();
log(`runs=${RUNS} scale=${SCALE}; ${machine}; load average ${loadBefore}`);
log(`sizes ${JSON.stringify(SIZES)}`);

if (ONLY.has('fernet')) {
  log(`1. Fernet: ${SIZES.fernetOps} encrypts and decrypts per run`);
  benchFernet(Math.min(20_000, SIZES.fernetOps), false); // JIT warm-up, discarded
  // Odd runs time the baseline first, even runs Fernet first.
  const runs = await times(RUNS, async (run) => benchFernet(SIZES.fernetOps, run % 2 === 1));
  const ratio = (value: number, baseline: number): boolean => value >= 0.9 * baseline;
  rows.push(
    {
      figure: 'Fernet encrypt, 32-byte value',
      unit: 'ops/s',
      runs: runs.map((r) => r.encrypt),
      baseline: { label: 'bare AES-128-CBC + HMAC', runs: runs.map((r) => r.bareEncrypt) },
      target: { text: '>= 0.9x baseline', met: ratio },
    },
    {
      figure: 'Fernet decrypt, 32-byte value',
      unit: 'ops/s',
      runs: runs.map((r) => r.decrypt),
      baseline: { label: 'bare HMAC check + AES-128-CBC', runs: runs.map((r) => r.bareDecrypt) },
      target: { text: '>= 0.9x baseline', met: ratio },
    },
  );
}

if (ONLY.has('stores')) {
  log(`2. StoreSecret: ${SIZES.stores} durable stores per run, 64 callers`);
  // Each run measures both commit modes (the order alternating), so both see the same load.
  const runs = await times(RUNS, async (run) => {
    const first = run % 2 === 0 ? 'event loop' : 'writer thread';
    const a = await benchStores(SIZES.stores, SIZES.storeWarmup, first);
    global.gc?.();
    const b = await benchStores(SIZES.stores, SIZES.storeWarmup, first === 'event loop' ? 'writer thread' : 'event loop');
    return first === 'event loop' ? { loop: a, thread: b } : { loop: b, thread: a };
  });
  rows.push(
    {
      figure: 'StoreSecret (durable, command bus, 64 callers)',
      unit: 'stores/s',
      runs: runs.map((r) => r.loop.rate),
      baseline: { label: 'raw better-sqlite3, same rows, 64/tx', runs: runs.map((r) => r.loop.baseline) },
      target: { text: '>= 45,000 stores/s', met: atLeast(45_000) },
    },
    {
      figure: 'StoreSecret, commits in a writer thread (STRONGROOM_SQLITE_WORKER=1)',
      unit: 'stores/s',
      runs: runs.map((r) => r.thread.rate),
      baseline: { label: 'raw better-sqlite3, same rows, 64/tx', runs: runs.map((r) => r.thread.baseline) },
      target: { text: '>= 45,000 stores/s', met: atLeast(45_000) },
    },
    {
      figure: 'StoreSecret: writer thread vs event loop, same runs',
      unit: 'stores/s',
      runs: runs.map((r) => r.thread.rate),
      baseline: { label: 'commits on the event loop', runs: runs.map((r) => r.loop.rate) },
    },
    {
      figure: 'StoreSecret: writer thread ÷ event loop, paired within each run',
      unit: 'x',
      runs: runs.map((r) => r.thread.rate / r.loop.rate),
    },
    {
      figure: 'StoreSecret: CPU of the whole process (all threads) per store, writer thread',
      unit: 'µs',
      runs: runs.map((r) => r.thread.load.cpuPerOp),
      baseline: { label: 'same, commits on the event loop', runs: runs.map((r) => r.loop.load.cpuPerOp) },
    },
    {
      figure: 'StoreSecret: share of the time the event loop was busy, writer thread',
      unit: '%',
      runs: runs.map((r) => 100 * r.thread.load.eventLoopBusy),
      baseline: { label: 'same, commits on the event loop (a fsync counts as busy)', runs: runs.map((r) => 100 * r.loop.load.eventLoopBusy) },
    },
  );
}

if (ONLY.has('reads')) {
  log(`3. GetSecret: ${SIZES.reads} audited reads of ${SIZES.readSecrets} secrets per run, 64 callers`);
  const both = await times(RUNS, async (run) => {
    const first = run % 2 === 0 ? 'event loop' : 'writer thread';
    const a = await benchReads(SIZES.readSecrets, SIZES.reads, SIZES.readWarmup, first);
    global.gc?.();
    const b = await benchReads(SIZES.readSecrets, SIZES.reads, SIZES.readWarmup, first === 'event loop' ? 'writer thread' : 'event loop');
    return first === 'event loop' ? { loop: a, thread: b } : { loop: b, thread: a };
  });
  const runs = both.map((r) => r.loop);
  rows.push(
    {
      figure: 'GetSecret audited, commits in a writer thread (STRONGROOM_SQLITE_WORKER=1)',
      unit: 'reads/s',
      runs: both.map((r) => r.thread.audited),
      baseline: { label: 'unaudited decrypt, same projection', runs: both.map((r) => r.thread.unaudited) },
      target: { text: '>= 65,000 reads/s and >= 0.5x', met: (v, b) => v >= 65_000 && v >= 0.5 * b },
    },
    {
      figure: 'GetSecret audited: writer thread vs event loop, same runs',
      unit: 'reads/s',
      runs: both.map((r) => r.thread.audited),
      baseline: { label: 'commits on the event loop', runs: both.map((r) => r.loop.audited) },
    },
    {
      figure: 'GetSecret audited: writer thread ÷ event loop, paired within each run',
      unit: 'x',
      runs: both.map((r) => r.thread.audited / r.loop.audited),
    },
    {
      figure: 'GetSecret audited: CPU of the whole process (all threads) per read, writer thread',
      unit: 'µs',
      runs: both.map((r) => r.thread.load.cpuPerOp),
      baseline: { label: 'same, commits on the event loop', runs: both.map((r) => r.loop.load.cpuPerOp) },
    },
    {
      figure: 'GetSecret audited: share of the time the event loop was busy, writer thread',
      unit: '%',
      runs: both.map((r) => 100 * r.thread.load.eventLoopBusy),
      baseline: { label: 'same, commits on the event loop (a fsync counts as busy)', runs: both.map((r) => 100 * r.loop.load.eventLoopBusy) },
    },
  );
  rows.push(
    {
      figure: 'GetSecret audited (decrypt + durable SecretAccessed, 64 callers)',
      unit: 'reads/s',
      runs: runs.map((r) => r.audited),
      baseline: { label: 'unaudited decrypt, same projection', runs: runs.map((r) => r.unaudited) },
      target: { text: '>= 65,000 reads/s and >= 0.5x', met: (v, b) => v >= 65_000 && v >= 0.5 * b },
    },
    {
      figure: 'GetSecret audited, vs its storage ceiling',
      unit: 'reads/s',
      runs: runs.map((r) => r.audited),
      baseline: { label: 'raw better-sqlite3, same SecretAccessed rows, 64/tx', runs: runs.map((r) => r.rawAppends) },
    },
    {
      figure: `Memory: heap growth (after gc) across ${SIZES.reads.toLocaleString('en-US')} audited reads / read`,
      unit: 'B',
      runs: runs.map((r) => r.heapGrowthPerRead),
      target: { text: 'flat (< 1 B/read)', met: (v) => v < 1 },
    },
  );
}

if (ONLY.has('policy')) {
  log(`3b. Policies: ${SIZES.policyReads} audited reads per run by a token with ${SIZES.policyRules} rules and one with a single rule; ${SIZES.tokenChecks} token checks`);
  const runs = await times(RUNS, () => benchPolicyReads(SIZES.policySecrets, SIZES.policyReads, SIZES.policyRules));
  const checks = await times(RUNS, () => benchTokenCheck(SIZES.tokenChecks));
  rows.push(
    {
      figure: `GetSecret audited as a token whose policy has ${SIZES.policyRules.toLocaleString('en-US')} rules (64 callers)`,
      unit: 'reads/s',
      runs: runs.map((r) => r.manyRules),
      baseline: { label: 'same reads, policy of one allow rule', runs: runs.map((r) => r.oneRule) },
      target: { text: '>= 0.95x baseline (at most 5% slower)', met: (v, b) => v >= 0.95 * b },
    },
    {
      figure: 'Token check per request (parse, look up, SHA-256, constant-time compare, expiry)',
      unit: 'µs',
      runs: checks.map((c) => c.authenticate),
      baseline: { label: 'bare SHA-256 of the token', runs: checks.map((c) => c.sha256) },
    },
  );
}

if (ONLY.has('http')) {
  const warmup = Math.max(1, Math.round(HTTP_SECONDS / 5));
  log(`3c. HTTP: autocannon, 64 connections, ${HTTP_SECONDS} s per figure (after ${warmup} s of warm-up), ${SIZES.httpSecrets} secrets, server in a child process`);
  const runs = await times(RUNS, (run) => benchHttp(SIZES.httpSecrets, HTTP_SECONDS, warmup, run));
  const bare = { label: 'bare Fastify route, same token check', runs: runs.map((r) => r.bare) };
  rows.push(
    {
      figure: 'HTTP: GET /v1/secrets/:name audited (64 connections)',
      unit: 'req/s',
      runs: runs.map((r) => r.reads),
      baseline: bare,
      target: { text: '>= 10,000 req/s and >= 0.5x', met: (v, b) => v >= 10_000 && v >= 0.5 * b },
    },
    {
      figure: 'HTTP: audited GET, p99 latency',
      unit: 'ms',
      runs: runs.map((r) => r.readP99Ms),
      baseline: { label: 'bare route p99', runs: runs.map((r) => r.bareP99Ms) },
      target: { text: '< 10 ms', met: (v) => v < 10 },
    },
    {
      figure: 'HTTP: POST /v1/secrets durable (64 connections)',
      unit: 'req/s',
      runs: runs.map((r) => r.writes),
      baseline: bare,
      target: { text: '>= 8,000 req/s', met: atLeast(8_000) },
    },
    { figure: 'HTTP: POST /v1/secrets, p99 latency', unit: 'ms', runs: runs.map((r) => r.writeP99Ms) },
  );
}

/**
 * Audited-read latency at 1,000, 100,000 and `bigSize` secrets (the last in `bigHome`, seeded with
 * secrets s-0..s-(bigSize-1)), each run in a process of its own so no other size's heap is in it, the
 * sizes interleaved run by run so a change of load falls on all of them; with the GC pauses during the
 * reads, the candidate bound of a larger heap.
 */
async function benchScale(bigHome: string, bigSize: number): Promise<void> {
  const sizes = [Math.min(1_000, bigSize), Math.min(100_000, bigSize)].filter((n, i, all) => n < bigSize && all.indexOf(n) === i);
  log(`4b. scale: audited-read latency, ${SIZES.scaleReads} reads at ${[...sizes, bigSize].join(', ')} secrets, 64 callers, a process each`);
  const bySize = new Map<number, LatencyFigures[]>([...sizes, bigSize].map((n) => [n, []]));
  await withHomes(sizes.length, async (homes) => {
    for (const [i, size] of sizes.entries()) {
      const s = await openAt(homes[i] as string);
      try {
        await storeMany(s, size);
      } finally {
        await s.close();
      }
    }
    for (let run = 0; run < RUNS; run++) {
      for (const [i, size] of sizes.entries()) bySize.get(size)?.push(await inChild<LatencyFigures>('latency', homes[i] as string, String(size), String(SIZES.scaleReads)));
      bySize.get(bigSize)?.push(await inChild<LatencyFigures>('latency', bigHome, String(bigSize), String(SIZES.scaleReads)));
    }
  });
  const smallest = bySize.get(sizes[0] ?? bigSize) ?? [];
  const label = `same at ${(sizes[0] ?? bigSize).toLocaleString('en-US')} secrets`;
  for (const [size, runs] of bySize) {
    rows.push(
      {
        figure: `Scale: audited GetSecret p50 latency at ${size.toLocaleString('en-US')} secrets (64 callers)`,
        unit: 'ms',
        runs: runs.map((r) => r.p50),
        baseline: { label, runs: smallest.map((r) => r.p50) },
        target: { text: 'within 20% of the smallest', met: (v, b) => v <= 1.2 * b },
      },
      {
        figure: `Scale: GC pause during those reads at ${size.toLocaleString('en-US')} secrets, per 1,000 reads`,
        unit: 'ms',
        runs: runs.map((r) => (r.gcMs / SIZES.scaleReads) * 1_000),
        baseline: { label, runs: smallest.map((r) => (r.gcMs / SIZES.scaleReads) * 1_000) },
      },
    );
  }
}

// BENCH_SCALE_HOME=DIR:N measures only the scale figures over a home already seeded with N secrets
// (s-0..s-(N-1), as seedStartupHome seeds them): seeding a million secrets takes a quarter of an hour.
if (env.BENCH_SCALE_HOME && !ONLY.has('startup') && ONLY.has('scale')) {
  const [dir, n] = env.BENCH_SCALE_HOME.split(':');
  if (!dir || !Number(n)) throw new Error('BENCH_SCALE_HOME is DIR:N (a home seeded with N secrets s-0..s-(N-1))');
  await benchScale(dir, Number(n));
}

if (ONLY.has('startup')) {
  await withHome(async (home) => {
    await withHome(async (empty) => {
      log(`4. start-up: seeding ${SIZES.startupSecrets} secrets and ${SIZES.startupAccesses} access events (once)`);
      const t0 = Date.now();
      await seedStartupHome(home, SIZES.startupSecrets, SIZES.startupAccesses);
      await seedEmptyHome(empty);
      log(`   seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s; ${RUNS} cold start-ups / rebuilds, each in a fresh process`);
      const full: StartupFigures[] = [];
      const noSnapshot: StartupFigures[] = [];
      const bare: StartupFigures[] = [];
      const rebuild: RebuildFigures[] = [];
      const replay: ReplayFigures[] = [];
      const maps: { heapBytes: number; rssBytes: number }[] = [];
      const n = SIZES.startupSecrets;
      for (let run = 0; run < RUNS; run++) {
        full.push(await inChild<StartupFigures>('startup', home));
        noSnapshot.push(await inChild<StartupFigures>('startup-nosnap', home));
        bare.push(await inChild<StartupFigures>('startup', empty));
        rebuild.push(await inChild<RebuildFigures>('rebuild', home));
        replay.push(await inChild<ReplayFigures>('replay', home));
        maps.push(await inChild<{ heapBytes: number; rssBytes: number }>('map', home, String(SIZES.startupSecrets), '140'));
      }
      if ([...full, ...noSnapshot].some((f) => f.liveSecrets !== SIZES.startupSecrets)) throw new Error('start-up did not see every secret');
      const label = `${SIZES.startupSecrets.toLocaleString('en-US')} secrets + ${SIZES.startupAccesses.toLocaleString('en-US')} access events`;
      rows.push(
        {
          figure: `Projection rebuild, cold (events folded / rebuild time; ${rebuild[0]?.events.toLocaleString('en-US')} events)`,
          unit: 'events/s',
          runs: rebuild.map((r) => r.events / r.coldSeconds),
          baseline: { label: 'raw better-sqlite3 read of the same rows', runs: rebuild.map((r) => r.rawRows / r.rawSeconds) },
          target: { text: '>= 1,000,000 events/s', met: atLeast(1_000_000) },
        },
        {
          figure: 'Projection rebuild, warm (second rebuild in the same process)',
          unit: 'events/s',
          runs: rebuild.map((r) => r.events / r.warmSeconds),
          baseline: { label: 'raw better-sqlite3 read of the same rows', runs: rebuild.map((r) => r.rawRows / r.rawSeconds) },
        },
        {
          figure: `Cold replay of the whole log, no snapshot (${replay[0]?.events.toLocaleString('en-US')} events, every category)`,
          unit: 'events/s',
          runs: replay.map((r) => r.events / r.seconds),
          baseline: { label: 'raw better-sqlite3 read of every row, no parsing', runs: replay.map((r) => r.rawRows / r.rawSeconds) },
          target: { text: '>= 500,000 events/s', met: atLeast(500_000) },
        },
        {
          figure: `Start-up from the projection snapshot, Strongroom.open() (${label})`,
          unit: 'ms',
          runs: full.map((f) => f.openMs),
          baseline: { label: 'empty store', runs: bare.map((f) => f.openMs) },
          target: { text: '< 2,000 ms', met: (v) => v < 2000 },
        },
        {
          figure: `Start-up without a snapshot, Strongroom.open() (${label})`,
          unit: 'ms',
          runs: noSnapshot.map((f) => f.openMs),
          baseline: { label: 'empty store', runs: bare.map((f) => f.openMs) },
          target: { text: '< 2,000 ms', met: (v) => v < 2000 },
        },
        {
          figure: 'Start-up from the snapshot: projected events folded from the log',
          unit: 'events',
          runs: full.map((f) => f.folded),
          baseline: { label: 'without a snapshot', runs: noSnapshot.map((f) => f.folded) },
        },
        {
          figure: `Start-up, process start to open (node + modules + open; ${label})`,
          unit: 'ms',
          runs: full.map((f) => f.processReadyMs),
          baseline: { label: 'empty store', runs: bare.map((f) => f.processReadyMs) },
        },
        {
          figure: 'Memory: heap growth across open() / live secret (after gc)',
          unit: 'B',
          runs: full.map((f) => f.heapDelta / n),
          baseline: { label: 'bare Map<id, ciphertext>', runs: maps.map((m) => m.heapBytes) },
          target: { text: '<= 1.5x baseline', met: (v, b) => v <= 1.5 * b },
        },
        {
          figure: 'Memory: same, net of an empty store\'s open() / live secret',
          unit: 'B',
          runs: full.map((f, i) => (f.heapDelta - (bare[i] as StartupFigures).heapDelta) / n),
          baseline: { label: 'bare Map<id, ciphertext>', runs: maps.map((m) => m.heapBytes) },
        },
        {
          figure: 'Memory: RSS growth across open() / live secret',
          unit: 'B',
          runs: full.map((f) => f.rssDelta / n),
          baseline: { label: 'bare Map<id, ciphertext>', runs: maps.map((m) => m.rssBytes) },
        },
        {
          figure: 'Memory: same, net of an empty store\'s open() / live secret',
          unit: 'B',
          runs: full.map((f, i) => (f.rssDelta - (bare[i] as StartupFigures).rssDelta) / n),
          baseline: { label: 'bare Map<id, ciphertext>', runs: maps.map((m) => m.rssBytes) },
        },
      );
      if (ONLY.has('scale')) await benchScale(home, SIZES.startupSecrets);
    });
  });
}

if (ONLY.has('rotate')) {
  log(`5. RotateKey over ${SIZES.rotateSecrets} secrets per run`);
  const runs = await times(RUNS, () => benchRotateKey(SIZES.rotateSecrets));
  rows.push({
    figure: `RotateKey over ${SIZES.rotateSecrets.toLocaleString('en-US')} secrets`,
    unit: 'secrets/s',
    runs: runs.map((r) => r.rate),
    baseline: { label: 'Keyring.reEncrypt alone, same ciphertexts', runs: runs.map((r) => r.baseline) },
    target: { text: '>= 60,000 secrets/s', met: atLeast(60_000) },
  });
}

if (ONLY.has('postgres')) {
  const url = await benchPostgresUrl();
  log(`6. PostgreSQL: ${SIZES.pgStores} stores, ${SIZES.pgReads} audited reads, ${SIZES.pgFollowWrites} follower writes per run`);
  const raw: number[] = [];
  const stores: number[] = [];
  const reads: number[] = [];
  const p50: number[] = [];
  const p99: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    raw.push(await rawPgBatchedInserts(url, SIZES.pgStores));
    stores.push(await benchPgStores(url, SIZES.pgStores));
    reads.push(await benchPgReads(url, SIZES.pgReadSecrets, SIZES.pgReads));
    const latencies = await benchFollowerLatency(url, SIZES.pgFollowWrites);
    p50.push(median(latencies));
    p99.push(percentile(latencies, 99));
    global.gc?.();
  }
  const baseline = { label: 'raw pg batched inserts, 64 rows/statement', runs: raw };
  rows.push(
    {
      figure: 'PostgreSQL: StoreSecret (durable, command bus, 64 callers)',
      unit: 'stores/s',
      runs: stores,
      baseline,
      target: { text: '>= 0.3x baseline', met: (v, b) => v >= 0.3 * b },
    },
    { figure: 'PostgreSQL: GetSecret audited (64 callers)', unit: 'reads/s', runs: reads, baseline },
    { figure: 'PostgreSQL: follower catch-up, write on A until applied on B, median', unit: 'ms', runs: p50 },
    { figure: 'PostgreSQL: follower catch-up, p99', unit: 'ms', runs: p99 },
  );
}

if (ONLY.has('bus')) {
  log(`7. Bus (NATS): ${SIZES.busRequests} StoreSecret requests and as many raw request-replies per run, 32 callers; events out while ${SIZES.busEventStores} stores run at full speed`);
  const rr = await times(RUNS, () => benchBusRequestReply(SIZES.busRequests, 32));
  const out = await times(RUNS, () => benchEventsOut(SIZES.busEventStores, 64));
  const rawRate = { label: 'raw NATS request-reply, same payload, no-op responder', runs: rr.map((r) => r.raw.rate) };
  rows.push(
    { figure: 'Bus: StoreSecret by request-reply (32 callers)', unit: 'commands/s', runs: rr.map((r) => r.bus.rate), baseline: rawRate },
    { figure: 'Bus: StoreSecret request-reply latency, p50', unit: 'ms', runs: rr.map((r) => r.bus.p50), baseline: { label: 'raw request-reply p50', runs: rr.map((r) => r.raw.p50) } },
    { figure: 'Bus: StoreSecret request-reply latency, p99', unit: 'ms', runs: rr.map((r) => r.bus.p99), baseline: { label: 'raw request-reply p99', runs: rr.map((r) => r.raw.p99) } },
    {
      figure: 'Events out: published to JetStream while storing at full speed (until the last is in)',
      unit: 'events/s',
      runs: out.map((o) => o.published),
      baseline: { label: 'events committed/s by the same stores', runs: out.map((o) => o.committed) },
    },
  );
}

if (ONLY.has('compliance') || ONLY.has('compliance-scans')) {
  if (ONLY.has('compliance')) await withHome(async (home) => {
    log(`8. compliance: point in time in a ${SIZES.pitEvents}-event log (${SIZES.pitSecrets} secrets); seeding`);
    const head = await seedComplianceHome(home, SIZES.pitSecrets, SIZES.pitEvents - SIZES.pitSecrets);
    const deep = Math.round(head * 0.9);
    const pit: PointInTimeFigures[] = await times(RUNS, () => benchPointInTime(home, deep));
    rows.push({
      figure: `Point in time: state at position ${deep.toLocaleString('en-US')} of a ${head.toLocaleString('en-US')}-event log (GetStateAt)`,
      unit: 'ms',
      runs: pit.map((p) => p.ms),
      baseline: { label: 'raw better-sqlite3 read of the same secret/token/policy rows', runs: pit.map((p) => p.rawMs) },
    });
  });
  // BENCH_COMPLIANCE_HOME=DIR keeps the seeded 10M-event log between runs (seeding it takes minutes;
  // every run then measures on the same log); without it the log is seeded in a temporary home.
  const keptHome = env.BENCH_COMPLIANCE_HOME;
  const withScanHome = keptHome ? async <T>(f: (home: string) => Promise<T>): Promise<T> => f(keptHome) : withHome;
  const withExport = env.BENCH_COMPLIANCE_EXPORT !== '0';
  await withScanHome(async (home) => {
    log(`9. compliance: report, replay${withExport ? ', export and public verification' : ''} over ${SIZES.auditAccesses} access events`);
    const t0 = Date.now();
    const kept = headOf(home);
    if (kept === 0) {
      log('   seeding');
      await seedComplianceHome(home, SIZES.auditSecrets, SIZES.auditAccesses);
      log(`   seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    } else if (kept < SIZES.auditAccesses) throw new Error(`${home} holds a ${kept}-event log, shorter than ${SIZES.auditAccesses} accesses: use another BENCH_COMPLIANCE_HOME`);
    else log(`   reusing the ${kept}-event log in ${home}`);
    const withRows = env.BENCH_COMPLIANCE_ROWS !== '0';
    const scans: ScanFigures[] = await times(RUNS, () => benchScans(home, withExport, withRows));
    const label = `${SIZES.auditAccesses.toLocaleString('en-US')} access events`;
    const baseline = { label: 'raw better-sqlite3 read of the same rows (one thread)', runs: scans.map((s) => s.raw) };
    rows.push(
      { figure: `Access report over ${label}, as the CLI prints it (CSV text, streamed, worker threads; cold: no access index, which it writes)`, unit: 'events/s', runs: scans.map((s) => s.reportText), baseline },
      { figure: `  the same, wall time`, unit: 's', runs: scans.map((s) => s.reportTextSeconds) },
      { figure: `Access report over ${label}, warm access index (CSV text, the same report again)`, unit: 'events/s', runs: scans.map((s) => s.reportWarm), baseline },
      { figure: `  the same, wall time`, unit: 's', runs: scans.map((s) => s.reportWarmSeconds) },
      { figure: `  the same text folded on one thread (no workers)`, unit: 'events/s', runs: scans.map((s) => s.reportOneThread), baseline },
      ...(withRows ? [{ figure: `Access report over ${label}, as library rows (one thread, every row consumed)`, unit: 'events/s', runs: scans.map((s) => s.report ?? 0), baseline }] : []),
      {
        figure: `Access report on one secret (--secret; ${scans[0]?.oneSecretRows.toLocaleString('en-US')} of its reads among ${label})`,
        unit: 'ms',
        runs: scans.map((s) => s.oneSecretMs),
        baseline: { label: "raw better-sqlite3 read of that secret's access rows", runs: scans.map((s) => s.oneSecretRawMs) },
      },
      { figure: `Policy replay over ${label} (worker threads)`, unit: 'events/s', runs: scans.map((s) => s.replay), baseline },
      { figure: `  the same, wall time`, unit: 's', runs: scans.map((s) => s.replaySeconds) },
    );
    if (withExport) {
      rows.push(
        { figure: `Export (JSON lines to a file) of ${label}`, unit: 'events/s', runs: scans.map((s) => s.exportRate ?? 0), baseline },
        { figure: `Public verification of that export (public key only)`, unit: 'events/s', runs: scans.map((s) => s.verify ?? 0), baseline },
      );
    }
  });
}

const elapsed = ((Date.now() - started) / 1000).toFixed(0);
log(`done in ${elapsed} s; load average ${load()}`);
process.stdout.write(
  [
    '',
    `Strongroom benchmarks: medians of ${RUNS} run(s), 32-byte values, scale ${SCALE}, ${elapsed} s`,
    `${machine}; load average (1/5/15 min) ${loadBefore} before, ${load()} after`,
    '',
    renderTable(rows),
    '',
  ].join('\n'),
);
