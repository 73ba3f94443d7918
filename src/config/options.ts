import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { DEFAULT_MAX_VALUE_BYTES } from '../secrets/domain/secret-rules.js';
import { readSecretFile } from '../crypto/secret-file.js';
import { parseDuration } from '../shared/duration.js';
import { ErrorCode, StrongroomError } from '../shared/errors.js';

/** Everything configurable, resolved once at the composition root and passed down. */
export interface StrongroomOptions {
  readonly home: string;
  /** `sqlite:<path>` (default `sqlite:<home>/strongroom.db`), `postgres://…`, `kurrentdb://…` / `esdb://…`. */
  readonly store: string;
  readonly masterKeyFile: string;
  readonly apiTokenFile: string;
  readonly maxValueBytes: number;
  readonly http: { readonly host: string; readonly port: number };
  /** How long a read waits for this process to reach a requested minimum log position (ms). */
  readonly readWaitTimeoutMs: number;
  /** How long a write without a condition keeps retrying against other processes' writes before 503 (ms). */
  readonly writeDeadlineMs: number;
  /** Failed authentications one client address may make per minute before it is answered 429 for the rest of it. */
  readonly authFailuresPerMinute: number;
  /**
   * Which proxies' X-Forwarded-For to believe for the client address (rate limiting, the access log):
   * `false` (default: the socket's peer), `true` (any proxy), or a comma list of proxy addresses/CIDRs.
   * Passed to Fastify's `trustProxy` (https://fastify.dev/docs/latest/Reference/Server/#trustproxy).
   */
  readonly trustProxy: boolean | string;
  /**
   * How often a long-lived process (server, library) looks for due lifecycle work: purges, expiries,
   * warnings, rotations (ms; 0: only on demand). Default 60,000 (STRONGROOM_LIFECYCLE_INTERVAL_MS).
   */
  readonly lifecycleIntervalMs?: number;
  /** Lead times of SecretExpiring warnings, e.g. ['14d', '3d'] (STRONGROOM_EXPIRY_WARNINGS, comma-separated). */
  readonly expiryWarnings?: readonly string[];
  /**
   * The NATS bus beside HTTP (docs/BUS.md): `url` from `serve --nats` or STRONGROOM_NATS_URL, subjects
   * under `prefix` (STRONGROOM_NATS_PREFIX, default `strongroom`). Absent: nothing about NATS is loaded.
   */
  readonly nats?: { readonly url: string; readonly prefix: string };
  /**
   * Signed checkpoints (docs/ARCHITECTURE.md): the Ed25519 private key file (default `audit-signing.key`
   * beside the master key; STRONGROOM_SIGNING_KEY_FILE), a directory each checkpoint is also written to
   * (STRONGROOM_CHECKPOINT_DIR), and when long-lived processes sign one by themselves: every this many
   * new events (STRONGROOM_CHECKPOINT_EVERY_EVENTS) and every this many ms when anything happened
   * (STRONGROOM_CHECKPOINT_INTERVAL_MS); 0 or unset: only on demand.
   */
  readonly checkpoints?: {
    readonly signingKeyFile: string;
    readonly dir: string | null;
    readonly everyEvents: number;
    readonly intervalMs: number;
  };
  /**
   * A projection snapshot (`<home>/projection.snapshot`) is written at shutdown once a process has
   * folded at least this many events from the log, and read at start-up; 0 turns snapshots off.
   * Default 10,000 (STRONGROOM_SNAPSHOT_MIN_EVENTS).
   */
  readonly snapshotMinEvents?: number;
  /**
   * SQLite stores commit in a writer thread that owns the write connection, so fsyncs no longer block
   * the event loop (SqliteEventStoreOptions.writerThread; BENCHMARKS.md, issue 11, for when it pays).
   * STRONGROOM_SQLITE_WORKER=1 turns it on, 0 or unset leaves it off.
   */
  readonly sqliteWriterThread?: boolean;
  /**
   * How often a long-lived process builds the access index's missing whole chunks in a background
   * worker thread (src/compliance/access-index/index-warmer.ts), ms; 0: never (reports still build the
   * chunks they fold). Default SERVER_ACCESS_INDEX_WARM_MS for a server, 0 otherwise
   * (STRONGROOM_ACCESS_INDEX_WARM_MS).
   */
  readonly accessIndexWarmMs?: number;
}

export interface OptionOverrides {
  readonly env: NodeJS.ProcessEnv;
  readonly home?: string | undefined;
  readonly store?: string | undefined;
  readonly port?: number | string | undefined;
  /** `serve --nats URL`, over STRONGROOM_NATS_URL. */
  readonly nats?: string | undefined;
  /**
   * `server` for `strongroom serve` and `npm start`: signed checkpoints then default to every
   * SERVER_CHECKPOINT_EVERY_EVENTS new events and every SERVER_CHECKPOINT_INTERVAL_MS when anything
   * happened (other processes: on demand only, unless configured).
   */
  readonly role?: 'server';
}

/** A server looks for access-index chunks to build this often (ms): a chunk is 20,000 events, so minutes of traffic at most. */
export const SERVER_ACCESS_INDEX_WARM_MS = 30_000;

/** A server signs a checkpoint after this many new events by default (the environment overrides it). */
export const SERVER_CHECKPOINT_EVERY_EVENTS = 10_000;
/** ... and every hour when anything happened (ms). */
export const SERVER_CHECKPOINT_INTERVAL_MS = 3_600_000;

/** A subject token: what NATS allows between dots, and no wildcard. */
const SUBJECT_PREFIX = /^[A-Za-z0-9_-]{1,64}(\.[A-Za-z0-9_-]{1,64}){0,3}$/;

const natsOptions = (url: string | undefined, prefix: string | undefined): { nats?: { url: string; prefix: string } } => {
  if (url === undefined || url === '') return {};
  if (!/^(nats|tls|wss?):\/\/[^\s]+$/.test(url)) throw new StrongroomError(ErrorCode.InvalidInput, 'the NATS URL must look like nats://host:4222');
  const subjects = prefix === undefined || prefix === '' ? 'strongroom' : prefix;
  if (!SUBJECT_PREFIX.test(subjects)) throw new StrongroomError(ErrorCode.InvalidInput, 'STRONGROOM_NATS_PREFIX must be dot-separated letters, digits, - and _');
  return { nats: { url, prefix: subjects } };
};

const integer = (name: string, raw: string | number | undefined, fallback: number, min: number, max: number): number => {
  if (raw === undefined || raw === '') return fallback;
  const n = typeof raw === 'number' ? raw : Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new StrongroomError(ErrorCode.InvalidInput, `${name} must be an integer from ${min} to ${max}`);
  }
  return n;
};

/**
 * A store URL that carries a database password is kept in a 0600 file (e.g. a mounted secret). A bad
 * file is a configuration problem (INVALID_INPUT), not a key problem.
 */
const storeFromFile = (path: string | undefined): string | undefined =>
  path === undefined || path === '' ? undefined : readSecretFile(resolve(path), 'store URL file', ErrorCode.InvalidInput);

/** STRONGROOM_TRUST_PROXY: unset/`false`, `true`, or proxy addresses/CIDRs (`10.0.0.0/8,127.0.0.1`). */
const trustProxy = (raw: string | undefined): boolean | string => {
  if (raw === undefined || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  if (/^[0-9a-fA-F:./,\s]+$/.test(raw)) return raw;
  throw new StrongroomError(ErrorCode.InvalidInput, 'STRONGROOM_TRUST_PROXY must be true, false, or a comma list of proxy addresses/CIDRs');
};

/** A 0/1 switch from the environment. @throws INVALID_INPUT for anything else */
const flag = (name: string, raw: string | undefined): boolean => {
  if (raw === undefined || raw === '' || raw === '0' || raw === 'false') return false;
  if (raw === '1' || raw === 'true') return true;
  throw new StrongroomError(ErrorCode.InvalidInput, `${name} must be 1 or 0`);
};

/** `14d,3d`: lead times of expiry warnings; an empty value turns warnings off. @throws INVALID_INPUT */
const expiryWarnings = (raw: string): string[] => {
  const leads = raw.split(',').map((t) => t.trim()).filter((t) => t.length > 0);
  for (const lead of leads) parseDuration(lead, 'STRONGROOM_EXPIRY_WARNINGS');
  return leads;
};

export const resolveOptions = ({ env, home, store, port, nats, role }: OptionOverrides): StrongroomOptions => {
  const root = resolve(home ?? env.STRONGROOM_HOME ?? join(homedir(), '.strongroom'));
  return {
    home: root,
    store: store ?? env.STRONGROOM_STORE ?? storeFromFile(env.STRONGROOM_STORE_FILE) ?? `sqlite:${join(root, 'strongroom.db')}`,
    masterKeyFile: resolve(env.STRONGROOM_MASTER_KEY_FILE ?? join(root, 'master.key')),
    apiTokenFile: resolve(env.STRONGROOM_API_TOKEN_FILE ?? join(root, 'api-token')),
    maxValueBytes: integer('STRONGROOM_MAX_VALUE_BYTES', env.STRONGROOM_MAX_VALUE_BYTES, DEFAULT_MAX_VALUE_BYTES, 1, 16 * 1024 * 1024),
    http: {
      host: env.STRONGROOM_HOST ?? '127.0.0.1',
      port: integer('STRONGROOM_PORT', port ?? env.STRONGROOM_PORT, 7300, 0, 65535),
    },
    readWaitTimeoutMs: integer('STRONGROOM_READ_WAIT_MS', env.STRONGROOM_READ_WAIT_MS, 5000, 0, 60_000),
    writeDeadlineMs: integer('STRONGROOM_WRITE_DEADLINE_MS', env.STRONGROOM_WRITE_DEADLINE_MS, 10_000, 0, 300_000),
    authFailuresPerMinute: integer('STRONGROOM_AUTH_FAILURES_PER_MINUTE', env.STRONGROOM_AUTH_FAILURES_PER_MINUTE, 30, 1, 1_000_000),
    trustProxy: trustProxy(env.STRONGROOM_TRUST_PROXY),
    lifecycleIntervalMs: integer('STRONGROOM_LIFECYCLE_INTERVAL_MS', env.STRONGROOM_LIFECYCLE_INTERVAL_MS, 60_000, 0, 86_400_000),
    checkpoints: {
      signingKeyFile: resolve(env.STRONGROOM_SIGNING_KEY_FILE ?? join(dirname(resolve(env.STRONGROOM_MASTER_KEY_FILE ?? join(root, 'master.key'))), 'audit-signing.key')),
      dir: env.STRONGROOM_CHECKPOINT_DIR ? resolve(env.STRONGROOM_CHECKPOINT_DIR) : null,
      everyEvents: integer('STRONGROOM_CHECKPOINT_EVERY_EVENTS', env.STRONGROOM_CHECKPOINT_EVERY_EVENTS, role === 'server' ? SERVER_CHECKPOINT_EVERY_EVENTS : 0, 0, 1_000_000_000),
      intervalMs: integer('STRONGROOM_CHECKPOINT_INTERVAL_MS', env.STRONGROOM_CHECKPOINT_INTERVAL_MS, role === 'server' ? SERVER_CHECKPOINT_INTERVAL_MS : 0, 0, 7 * 86_400_000),
    },
    snapshotMinEvents: integer('STRONGROOM_SNAPSHOT_MIN_EVENTS', env.STRONGROOM_SNAPSHOT_MIN_EVENTS, 10_000, 0, 1_000_000_000),
    sqliteWriterThread: flag('STRONGROOM_SQLITE_WORKER', env.STRONGROOM_SQLITE_WORKER),
    accessIndexWarmMs: integer('STRONGROOM_ACCESS_INDEX_WARM_MS', env.STRONGROOM_ACCESS_INDEX_WARM_MS, role === 'server' ? SERVER_ACCESS_INDEX_WARM_MS : 0, 0, 86_400_000),
    ...(env.STRONGROOM_EXPIRY_WARNINGS !== undefined && { expiryWarnings: expiryWarnings(env.STRONGROOM_EXPIRY_WARNINGS) }),
    ...natsOptions(nats ?? env.STRONGROOM_NATS_URL, env.STRONGROOM_NATS_PREFIX),
  };
};
