import { PerformanceObserver } from 'node:perf_hooks';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { Strongroom } from '../src/bootstrap/strongroom.js';
import { resolveOptions } from '../src/config/options.js';
import { fernetDecrypt, fernetEncrypt, fernetKeyFromBytes } from '../src/crypto/fernet.js';
import { RotateKey } from '../src/keys/commands/rotate-key/rotate-key.use-case.js';
import { StoreSecret } from '../src/secrets/commands/store-secret/store-secret.use-case.js';
import { GetSecret } from '../src/secrets/queries/get-secret/get-secret.use-case.js';
import { accessStream } from '../src/secrets/secret-streams.js';
import { createLogger } from '../src/shared/logger.js';
import { bareDecrypt, bareEncrypt, rawBatchedInserts, readEventRows } from './baselines.js';

/** End-to-end figures through the real command/query buses on the embedded store, each with its baseline. */

const quiet = createLogger({ silent: true });
/** Every stored value is 32 bytes. */
export const VALUE = 'v'.repeat(32);
const CALLERS = 64;

const seconds = (since: bigint): number => Number(process.hrtime.bigint() - since) / 1e9;

export const withHome = async <T>(f: (home: string) => Promise<T>): Promise<T> => {
  const home = mkdtempSync(join(tmpdir(), 'strongroom-bench-'));
  try {
    return await f(home);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
};

/** `count` fresh homes at once, all removed afterwards. */
export const withHomes = async <T>(count: number, f: (homes: string[]) => Promise<T>): Promise<T> => {
  const homes = Array.from({ length: count }, () => mkdtempSync(join(tmpdir(), 'strongroom-bench-')));
  try {
    return await f(homes);
  } finally {
    for (const home of homes) rmSync(home, { recursive: true, force: true });
  }
};

export const dbPathOf = (home: string): string => join(home, 'strongroom.db');

/** How the SQLite store commits: on the event loop (the default) or in a writer thread (STRONGROOM_SQLITE_WORKER=1). */
export type CommitMode = 'event loop' | 'writer thread';

export const openAt = (home: string, mode: CommitMode = 'event loop'): Promise<Strongroom> =>
  Strongroom.open(resolveOptions({ env: mode === 'writer thread' ? { STRONGROOM_SQLITE_WORKER: '1' } : {}, home }), {
    initialiseIfEmpty: true,
    interface: 'library',
    logger: quiet,
  });

/** `total` operations spread over `callers` concurrent loops; returns ops/s. */
export const concurrently = async (callers: number, total: number, op: (i: number) => Promise<unknown>): Promise<number> => {
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: callers }, async () => {
      for (let i = next++; i < total; i = next++) await op(i);
    }),
  );
  return total / seconds(started);
};

export const storeMany = async (s: Strongroom, total: number, callers = CALLERS, prefix = 's'): Promise<{ ids: string[]; rate: number }> => {
  const ids: string[] = new Array(total);
  const rate = await concurrently(callers, total, async (i) => {
    ids[i] = (await s.execute(StoreSecret, { name: `${prefix}-${i}`, value: VALUE })).id;
  });
  return { ids, rate };
};

/** Fernet encrypt/decrypt of a 32-byte value vs bare node:crypto calls producing/consuming the same token. */
export const benchFernet = (ops: number, baselineFirst: boolean): { encrypt: number; decrypt: number; bareEncrypt: number; bareDecrypt: number } => {
  const key = fernetKeyFromBytes(randomBytes(32));
  const tokens = Array.from({ length: 1024 }, () => fernetEncrypt(key, VALUE));
  const time = (f: (i: number) => unknown): number => {
    global.gc?.();
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < ops; i++) f(i);
    return ops / seconds(t0);
  };
  const fe = (): number => time(() => fernetEncrypt(key, VALUE));
  const be = (): number => time(() => bareEncrypt(key, VALUE));
  const fd = (): number => time((i) => fernetDecrypt(key, tokens[i & 1023] as string));
  const bd = (): number => time((i) => bareDecrypt(key, tokens[i & 1023] as string));
  // Both decrypt paths must agree on the same tokens before they are timed.
  if (!bareDecrypt(key, fernetEncrypt(key, VALUE)).equals(fernetDecrypt(key, bareEncrypt(key, VALUE)))) throw new Error('baseline disagrees with Fernet');
  if (baselineFirst) {
    const [bareE, e, bareD, d] = [be(), fe(), bd(), fd()];
    return { encrypt: e, decrypt: d, bareEncrypt: bareE, bareDecrypt: bareD };
  }
  const [e, bareE, d, bareD] = [fe(), be(), fd(), bd()];
  return { encrypt: e, decrypt: d, bareEncrypt: bareE, bareDecrypt: bareD };
};

/**
 * Durable StoreSecret through the command bus, `CALLERS` concurrent callers, after a short warm-up; then
 * the very rows those stores committed, re-inserted by raw better-sqlite3 in transactions of 64.
 */
/**
 * What bounds a measured phase: the share of its wall time the event loop was busy (a synchronous
 * fsync counts as busy), and the CPU the whole process (every thread) spent per operation, in µs.
 */
export interface PhaseLoad {
  readonly eventLoopBusy: number;
  readonly cpuPerOp: number;
}

const measureLoad = async <T>(ops: number, phase: () => Promise<T>): Promise<{ result: T; load: PhaseLoad }> => {
  const elu = performance.eventLoopUtilization();
  const cpu = process.cpuUsage();
  const result = await phase();
  const used = process.cpuUsage(cpu);
  return { result, load: { eventLoopBusy: performance.eventLoopUtilization(elu).utilization, cpuPerOp: (used.user + used.system) / ops } };
};

export const benchStores = (total: number, warmup: number, mode: CommitMode = 'event loop'): Promise<{ rate: number; baseline: number; load: PhaseLoad }> =>
  withHome(async (home) => {
    const s = await openAt(home, mode);
    let rate: number;
    let after: number;
    let load: PhaseLoad;
    try {
      await storeMany(s, warmup, CALLERS, 'warm');
      after = s.runtime.projection.position;
      global.gc?.();
      const measured = await measureLoad(total, () => storeMany(s, total));
      rate = measured.result.rate;
      load = measured.load;
    } finally {
      await s.close();
    }
    const rows = readEventRows(dbPathOf(home), 'secret').filter((r) => r[0] > after);
    if (rows.length !== total) throw new Error(`expected ${total} rows, found ${rows.length}`);
    global.gc?.();
    return { rate, baseline: rawBatchedInserts(home, rows, CALLERS), load };
  });

/**
 * Audited reads (decrypt + durable SecretAccessed) vs the same decrypts of the same projection without
 * the audit append; and, as the storage ceiling, the SecretAccessed rows those reads committed
 * re-inserted by raw better-sqlite3 in transactions of 64.
 */
export const benchReads = (
  secrets: number,
  reads: number,
  warmup: number,
  mode: CommitMode = 'event loop',
): Promise<{ audited: number; unaudited: number; rawAppends: number; heapGrowthPerRead: number; load: PhaseLoad }> =>
  withHome(async (home) => {
    const s = await openAt(home, mode);
    let audited: number;
    let unaudited: number;
    let after: number;
    let heapGrowthPerRead: number;
    let load: PhaseLoad;
    try {
      const { ids } = await storeMany(s, secrets);
      const read = (i: number): Promise<unknown> => s.execute(GetSecret, { ref: ids[i % secrets] });
      const { projection, keyring } = s.runtime;
      const readUnaudited = async (i: number): Promise<unknown> => {
        const live = projection.liveById(ids[i % secrets] as string);
        if (!live) throw new Error('missing secret');
        return keyring.decrypt(live.ciphertext, live.keyId, live.env);
      };
      await concurrently(CALLERS, warmup, read);
      await concurrently(CALLERS, warmup, readUnaudited);
      after = projection.position;
      global.gc?.();
      const heapBefore = process.memoryUsage().heapUsed;
      ({ result: audited, load } = await measureLoad(reads, () => concurrently(CALLERS, reads, read)));
      global.gc?.();
      // Flat means nothing is kept per read: the access events go to the log, not to memory.
      heapGrowthPerRead = (process.memoryUsage().heapUsed - heapBefore) / reads;
      unaudited = await concurrently(CALLERS, reads, readUnaudited);
    } finally {
      await s.close();
    }
    const rows = readEventRows(dbPathOf(home), 'access').filter((r) => r[0] > after);
    if (rows.length !== reads) throw new Error(`expected ${reads} access rows, found ${rows.length}`);
    global.gc?.();
    return { audited, unaudited, rawAppends: rawBatchedInserts(home, rows, CALLERS), heapGrowthPerRead, load };
  });

/**
 * A home holding `secrets` secrets (stored through the bus) and `accesses` SecretAccessed events, spread
 * evenly over the secrets. The access events go straight through the store port in large group commits:
 * what is measured later is the start-up that has to live with them, not how fast they were written.
 */
export const seedStartupHome = async (home: string, secrets: number, accesses: number): Promise<void> => {
  const s = await openAt(home);
  try {
    const { ids } = await storeMany(s, secrets);
    const { store, clock } = s.runtime;
    const metadata = { actor: 'bench', interface: 'library' as const, correlationId: 'bench', occurredAt: clock.now().toISOString() };
    const perSecret = Math.max(1, Math.ceil(accesses / secrets));
    const appends: { id: string; count: number }[] = [];
    for (let written = 0, k = 0; written < accesses; k++) {
      const count = Math.min(perSecret, accesses - written);
      appends.push({ id: ids[k % secrets] as string, count });
      written += count;
    }
    // 1,000 appends in flight share each group commit.
    for (let i = 0; i < appends.length; i += 1000) {
      await Promise.all(
        appends.slice(i, i + 1000).map(({ id, count }) =>
          store.appendToStream(
            accessStream(id),
            Array.from({ length: count }, () => ({ type: 'SecretAccessed', schemaVersion: 1, data: { secretId: id, name: 'x', version: 1 }, metadata })),
            { expectedRevision: 'any' },
          ),
        ),
      );
    }
  } finally {
    await s.close();
  }
};

/** An initialised home with nothing in it: the fixed cost every start-up pays. */
export const seedEmptyHome = async (home: string): Promise<void> => {
  await (await openAt(home)).close();
};

const CHILD = fileURLToPath(new URL('./startup-child.js', import.meta.url));

/** Runs one measurement in a fresh process (cold JIT, fresh heap), as a real start-up is. */
export const inChild = async <T>(mode: 'startup' | 'startup-nosnap' | 'rebuild' | 'replay' | 'map' | 'latency', home: string, ...args: string[]): Promise<T> => {
  // A million secrets and ten million events need more than V8's default old space.
  const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', '--max-old-space-size=8192', CHILD, mode, home, ...args], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').at(-1) as string) as T;
};

export interface StartupFigures {
  /** Strongroom.open(): store open, keys, projection rebuild, Nest context. */
  readonly openMs: number;
  /**
   * CPU time (user + system, every thread of the process: GC helpers too) across Strongroom.open(), ms:
   * steadier than openMs on a shared machine, where another process's load stretches the wall clock.
   */
  readonly openCpuMs: number;
  /** From process start (node boot and module loading included) to an open Strongroom. */
  readonly processReadyMs: number;
  readonly liveSecrets: number;
  /** Projected events folded from the log at start-up (after the snapshot, when one was used). */
  readonly folded: number;
  /** Growth across Strongroom.open(), after gc (bytes, whole process). */
  readonly heapDelta: number;
  readonly rssDelta: number;
}

export interface ReplayFigures {
  /** Every event of the log, read and parsed; the projected ones folded. */
  readonly events: number;
  readonly seconds: number;
  readonly liveSecrets: number;
  readonly rawRows: number;
  readonly rawSeconds: number;
}

export interface RebuildFigures {
  readonly events: number;
  readonly coldSeconds: number;
  readonly warmSeconds: number;
  readonly rawRows: number;
  readonly rawSeconds: number;
}

/**
 * RotateKey over `secrets` secrets through the command bus (started → re-encrypted per secret →
 * completed), vs Keyring.reEncrypt alone over the same ciphertexts (the crypto floor).
 */
export const benchRotateKey = (secrets: number): Promise<{ rate: number; baseline: number }> =>
  withHome(async (home) => {
    const s = await openAt(home);
    try {
      await storeMany(s, secrets);
      const { projection, keyring } = s.runtime;
      const live = [...projection.liveSecrets()];
      global.gc?.();
      const b0 = process.hrtime.bigint();
      for (const secret of live) keyring.reEncrypt(secret.ciphertext, secret.keyId, secret.keyId, secret.env);
      const baseline = live.length / seconds(b0);
      global.gc?.();
      const t0 = process.hrtime.bigint();
      const result = await s.execute(RotateKey, {});
      const rate = result.reEncrypted / seconds(t0);
      if (result.reEncrypted !== secrets || result.failed !== 0) throw new Error(`rotation re-encrypted ${result.reEncrypted}, failed ${result.failed}`);
      return { rate, baseline };
    } finally {
      await s.close();
    }
  });

/**
 * Audited-read latency at a given size: `reads` GetSecret calls by name from `CALLERS` concurrent
 * callers on an open Strongroom holding `names`; the median and p99 of each call's own time (ms).
 */
/** Audited-read latency from 64 callers (ms), the rate, and the GC pauses in the measured reads. */
export interface LatencyFigures {
  readonly p50: number;
  readonly p99: number;
  readonly rate: number;
  /** Total garbage-collection pause during the measured reads (ms, from perf_hooks 'gc' entries). */
  readonly gcMs: number;
  /** Heap in use before the reads, after gc (bytes): what each major GC has to mark. */
  readonly heapBytes?: number;
}

export const readLatency = async (s: Strongroom, names: readonly string[], reads: number): Promise<LatencyFigures> => {
  const latencies = new Float64Array(reads);
  const read = async (i: number): Promise<void> => {
    const t0 = process.hrtime.bigint();
    await s.execute(GetSecret, { ref: names[(i * 7919) % names.length] });
    latencies[i] = Number(process.hrtime.bigint() - t0) / 1e6;
  };
  await concurrently(CALLERS, Math.min(reads, 5_000), read); // warm-up
  global.gc?.();
  let gcMs = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcMs += entry.duration;
  });
  observer.observe({ entryTypes: ['gc'] });
  const rate = await concurrently(CALLERS, reads, read);
  // Entries are delivered asynchronously: one turn lets the last ones in before counting stops.
  await new Promise((resolve) => setImmediate(resolve));
  observer.disconnect();
  const sorted = Array.from(latencies).sort((a, b) => a - b);
  return { p50: sorted[Math.floor(reads * 0.5)] as number, p99: sorted[Math.min(reads - 1, Math.floor(reads * 0.99))] as number, rate, gcMs };
};

/** Opens the home as the library does, for a measurement in this process. */
export const openExisting = (home: string): Promise<Strongroom> =>
  Strongroom.open(resolveOptions({ env: {}, home }), { initialiseIfEmpty: false, interface: 'library', logger: quiet });
