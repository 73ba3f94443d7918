import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { HmacChainSealer } from '../audit/event-seal.js';
import type { StrongroomOptions } from '../config/options.js';
import { assertPrivateHome } from '../config/private-home.js';
import { generateFernetKey, wrapKey } from '../crypto/fernet.js';
import { createSecretFile, readSecretFile } from '../crypto/secret-file.js';
import { ExpectedRevisionConflictError, type EventStore } from '../event-store/event-store.port.js';
import { openEventStore } from '../event-store/open-event-store.js';
import { systemCaller } from '../kernel/caller.js';
import { WritePath, type PositionTracker } from '../kernel/write-path.js';
import { KEY_SCHEMA_VERSIONS, KEYS_STREAM } from '../keys/domain/key-events.js';
import { evolveKeyring, initialKeyring, type KeyringState } from '../keys/domain/keyring-state.js';
import { decideInitialise } from '../keys/domain/keyring.decider.js';
import { Keyring } from '../keys/keyring.js';
import { openKeyring } from '../keys/open-keyring.js';
import { parseKeyringEvent } from '../projection/parse-events.js';
import { accessIndexDir, accessIndexKey, type AccessIndexLocation } from '../compliance/access-index/access-index.js';
import { CHUNK_POSITIONS } from '../compliance/access-index/chunk-digest.js';
import { canReadRanges } from '../event-store/range-reader.js';
import { ProjectionSnapshots, SNAPSHOT_FILE, snapshotKey } from '../projection/projection-snapshot.js';
import { StrongroomProjection } from '../projection/strongroom-projection.js';
import { StrongroomMetrics } from '../observability/metrics.js';
import { rotationsRemaining } from '../observability/rotations-remaining.js';
import { systemClock, type Clock } from '../shared/clock.js';
import { ErrorCode, StrongroomError } from '../shared/errors.js';
import { randomIds, type IdGenerator } from '../shared/ids.js';
import type { Logger } from '../shared/logger.js';

/** Everything a Strongroom process holds, assembled once at start-up and handed to Nest as values. */
export interface StrongroomRuntime {
  readonly options: StrongroomOptions;
  readonly store: EventStore;
  readonly keyring: Keyring;
  readonly projection: StrongroomProjection;
  /** The one write path; only the pipeline and start-up hold it. */
  readonly writePath: WritePath;
  /** Prometheus metrics of this process (read by GetMetrics, fed by HTTP and by the log). */
  readonly metrics: StrongroomMetrics;
  /** Projection snapshots of this home: read at start-up, written at shutdown (see ProjectionSnapshots). */
  readonly snapshots: ProjectionSnapshots;
  /** The access index of this home (reports read and write it; a server keeps it warm), or null for a store kind without range reads. */
  readonly accessIndex: AccessIndexLocation | null;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly logger: Logger;
}

export interface Initialised {
  readonly masterKeyCreated: boolean;
}

export interface PrepareOptions {
  readonly initialiseIfEmpty: boolean;
  readonly logger: Logger;
  readonly clock?: Clock;
  readonly ids?: IdGenerator;
}

/** Nothing follows the log yet while an empty store is initialised: appends need not wait to be applied. */
const NOT_FOLLOWING: PositionTracker = { position: 0, waitFor: async () => undefined };

const writePathOptions = (options: StrongroomOptions) => ({ applyTimeoutMs: options.readWaitTimeoutMs, writeDeadlineMs: options.writeDeadlineMs });

/**
 * Opens the store, loads (or, for an empty store only, creates) the keys, rebuilds the projection.
 * A store that holds data never gets a new master key: a missing or wrong one is a start-up error.
 */
export const prepareRuntime = async (
  options: StrongroomOptions,
  prepare: PrepareOptions,
): Promise<{ runtime: StrongroomRuntime; initialised: Initialised | null }> => {
  const clock = prepare.clock ?? systemClock;
  const ids = prepare.ids ?? randomIds;
  if (!prepare.initialiseIfEmpty) refuseMissingSqliteFile(options);
  assertPrivateHome(options, prepare.initialiseIfEmpty); // StrictModes: nobody else may be able to change the home (created if missing)
  const sealer = new HmacChainSealer();
  const store = await openEventStore(options.store, sealer, prepare.logger, { sqliteWriterThread: options.sqliteWriterThread ?? false });
  try {
    let state = foldKeyring(await store.readStream(KEYS_STREAM));
    let started: { keyring: Keyring; initialised: Initialised } | null = null;
    if (state.revision === -1) {
      if ((await store.headPosition()) > 0) {
        throw new StrongroomError(ErrorCode.IntegrityError, 'the store holds events but no keys; it was damaged or not written by Strongroom');
      }
      if (!prepare.initialiseIfEmpty) {
        throw new StrongroomError(ErrorCode.NotInitialised, `no Strongroom store is initialised at ${options.home}; run \`strongroom init\``);
      }
      try {
        started = await initialise(options, store, sealer, new WritePath(store, NOT_FOLLOWING, clock, writePathOptions(options)), ids);
      } catch (e) {
        // Another replica initialised the shared store first: use its keys, like any later start.
        if (!(e instanceof ExpectedRevisionConflictError)) throw e;
      }
      state = foldKeyring(await store.readStream(KEYS_STREAM));
    }
    const keyring = started?.keyring ?? openKeyring(options.masterKeyFile, state, prepare.logger);
    const initialised = started?.initialised ?? null;
    keyring.sync(state);
    sealer.useKey(keyring.auditKey);
    const snapshots = new ProjectionSnapshots(
      join(options.home, SNAPSHOT_FILE),
      snapshotKey(keyring.auditKey),
      options.snapshotMinEvents ?? 10_000,
      prepare.logger,
    );
    const accessIndex = canReadRanges(options.store) ? { dir: accessIndexDir(options.home), key: accessIndexKey(keyring.auditKey), chunkPositions: CHUNK_POSITIONS } : null;
    const projection = await startProjection(store, keyring, snapshots, prepare.logger);
    const metrics = new StrongroomMetrics(store, { appliedPosition: () => projection.position, rotationsRemaining: () => rotationsRemaining(projection) });
    await metrics.start();
    const writePath = new WritePath(metrics.instrument(store), projection, clock, writePathOptions(options));
    return { runtime: { options, store, keyring, projection, writePath, metrics, snapshots, accessIndex, clock, ids, logger: prepare.logger }, initialised };
  } catch (e) {
    await store.close().catch(() => undefined);
    throw e;
  }
};

/**
 * The projection, from the snapshot when there is a usable one, else from the whole log. A snapshot
 * that passed its checks but still cannot be folded onto (a bug, or a format this version misreads)
 * is removed for a rebuild from the log (the log is the source of truth), and replaced at shutdown.
 */
const startProjection = async (store: EventStore, keyring: Keyring, snapshots: ProjectionSnapshots, logger: Logger): Promise<StrongroomProjection> => {
  const snapshot = await snapshots.load(store);
  // A destroy folded, now or later, drops the home's snapshot: it may hold a ciphertext the log redacts.
  const hooks = { versionsDestroyed: () => snapshots.discard() };
  if (snapshot) {
    const projection = new StrongroomProjection(keyring, logger, hooks);
    try {
      await projection.start(store, snapshot);
      return projection;
    } catch (e) {
      await projection.stop().catch(() => undefined);
      snapshots.reject(e instanceof Error ? e.message : String(e));
    }
  }
  const projection = new StrongroomProjection(keyring, logger, hooks);
  await projection.start(store);
  return projection;
};

/**
 * Opening a SQLite store creates its file before we can tell it is empty; checking first keeps a
 * mistyped --home from leaving an empty database (and directory) behind.
 */
const refuseMissingSqliteFile = (options: StrongroomOptions): void => {
  if (!options.store.startsWith('sqlite:')) return;
  const path = options.store.slice('sqlite:'.length);
  if (path.length > 0 && !existsSync(path)) {
    throw new StrongroomError(
      ErrorCode.NotInitialised,
      `no Strongroom store is initialised at ${options.home} (no ${path}); check --home, or run \`strongroom init\``,
      { home: options.home },
    );
  }
};

const foldKeyring = (events: Awaited<ReturnType<EventStore['readStream']>>): KeyringState =>
  events.map(parseKeyringEvent).reduce(evolveKeyring, initialKeyring());

/** Creates a key or token file unless another process just did (then false: theirs is used). */
export const createdIfAbsent = (path: string, contents: string): boolean => {
  try {
    createSecretFile(path, contents);
    return true;
  } catch (e) {
    if (e instanceof StrongroomError && e.code === ErrorCode.AlreadyInitialised) return false;
    throw e;
  }
};

/**
 * First start of an empty store. The master key file is created before anything is appended (a crash in
 * between leaves a key and an empty store, which the next start simply uses). An existing key file is
 * used as it is, so operators can provision the key themselves (e.g. a mounted file).
 */
const initialise = async (
  options: StrongroomOptions,
  store: EventStore,
  sealer: HmacChainSealer,
  writePath: WritePath,
  ids: IdGenerator,
): Promise<{ keyring: Keyring; initialised: Initialised }> => {
  const masterKeyCreated = !existsSync(options.masterKeyFile) && createdIfAbsent(options.masterKeyFile, generateFernetKey() + '\n');
  const keyring = Keyring.fromMasterKeyText(readSecretFile(options.masterKeyFile, 'master key'), options.masterKeyFile);
  const auditKey = randomBytes(32);
  const auditKeyId = ids.opaqueId();
  const dataKey = keyring.newWrappedKey(ids.opaqueId());
  sealer.useKey(auditKey);
  await writePath.write(
    {
      stream: KEYS_STREAM,
      state: initialKeyring,
      decide: (state) =>
        decideInitialise(state, { masterKeyId: keyring.masterKeyId, auditKey: { keyId: auditKeyId, wrappedKey: wrapKey(keyring.masterKeyHandle, auditKey) }, dataKey }),
      schemaVersions: KEY_SCHEMA_VERSIONS,
      onConflict: 'fail',
    },
    systemCaller('initialise'),
  );
  return { keyring, initialised: { masterKeyCreated } };
};
