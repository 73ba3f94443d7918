import { POLICY_CATEGORY, TOKEN_CATEGORY } from '../access/domain/access-events.js';
import { DESTROY_EVENT_TYPE } from '../audit/redaction.js';
import { categoryOf, type EventStore, type RecordedEvent, type Subscription } from '../event-store/event-store.port.js';
import { AccessProjection } from './access-projection.js';
import { TimeIndex } from '../compliance/time-index.js';
import { KEYS_STREAM } from '../keys/domain/key-events.js';
import { evolveKeyring, initialKeyring, type KeyringState } from '../keys/domain/keyring-state.js';
import type { Keyring } from '../keys/keyring.js';
import { evolve, initialSlot, type LiveSecret, type SecretSlot } from '../secrets/domain/secret-slot.js';
import { DEFAULT_ENV } from '../secrets/domain/secret-rules.js';
import { SECRET_CATEGORY, slotStream } from '../secrets/secret-streams.js';
import { ErrorCode, StrongroomError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { parseKeyringEvent, parseSlotEvent } from './parse-events.js';
import type { LoadedSnapshot, ProjectionSnapshot, SnapshotSlot } from './projection-snapshot.js';

/** The categories start-up replays. Access events (`access-*`) are never among them. */
export const PROJECTED_CATEGORIES = [SECRET_CATEGORY, KEYS_STREAM, TOKEN_CATEGORY, POLICY_CATEGORY] as const;

/** What is always folded from the log, snapshot or not: keys, tokens and policies. */
const NON_SECRET_CATEGORIES = [KEYS_STREAM, TOKEN_CATEGORY, POLICY_CATEGORY] as const;

/** What the projection tells its owner as it folds. */
export interface ProjectionHooks {
  /**
   * Called synchronously once per applied batch that held a SecretVersionsDestroyed event (live, on
   * catch-up, or after a restored snapshot), before anyone waiting for that position is released: the
   * owner drops any copy of the projection (a snapshot) that may hold a ciphertext the log redacts.
   */
  readonly versionsDestroyed?: () => void;
}

interface Waiter {
  readonly position: number;
  readonly resolve: () => void;
}

/**
 * Current state, folded from committed events only: secret slots holding *ciphertext* (never
 * plaintext) and the keyring state. Handlers never write here; they append, then `waitFor` the position.
 */
export class StrongroomProjection {
  private readonly slots = new Map<string, SecretSlot>();
  /** Every secret id ever seen (deleted ones too, for history and audit look-ups) → its slot stream. */
  private readonly streamById = new Map<string, string>();
  /** What each slot stream names: one (environment, name) for ever. */
  private readonly slotNames = new Map<string, { readonly env: string; readonly name: string }>();
  /** Live secrets' slot streams, by environment, then name. */
  private readonly streamByName = new Map<string, Map<string, string>>();
  /** Names of `streamByName` per environment, sorted; dropped whenever that set of names changes. */
  private readonly sortedNames = new Map<string, string[]>();
  /** Slots whose log holds an event we could not read; reads of them fail closed. */
  private readonly corruptSlots = new Map<string, StrongroomError>();
  private keyringState: KeyringState = initialKeyring();
  private readonly access = new AccessProjection();
  /** Time -> position for point-in-time queries (src/compliance/time-index.ts). */
  readonly times = new TimeIndex();
  private appliedPosition = 0;
  /** The last event this projection folded (not a checkpoint past others): where a snapshot can stand. */
  private lastFolded = { position: 0, hash: '' };
  /** Events folded since start-up (or since the snapshot start-up restored): whether a new snapshot pays. */
  private folded = 0;
  private waiters: Waiter[] = [];
  private subscription: Subscription | null = null;

  constructor(
    private readonly keyring: Keyring,
    private readonly logger: Logger,
    private readonly hooks: ProjectionHooks = {},
  ) {}

  get position(): number {
    return this.appliedPosition;
  }

  get keys(): KeyringState {
    return this.keyringState;
  }

  /** Tokens and policies, as folded from the log. */
  get accessState(): AccessProjection {
    return this.access;
  }

  /** Projected events folded from the log since start-up (after the snapshot, when one was restored). */
  get foldedSinceStart(): number {
    return this.folded;
  }

  /**
   * Rebuilds from the log page by page, then follows new commits. With a snapshot (already checked
   * against this log, see readProjectionSnapshot), keys, tokens and policies are still folded from
   * the log up to its position; the secret slots come from it; then every projected event after it is
   * folded as usual, so start-up is proportional to the events after the snapshot.
   */
  async start(store: EventStore, snapshot?: LoadedSnapshot): Promise<void> {
    if (snapshot) {
      await this.foldNonSecretsUpTo(store, snapshot.position);
      this.restore(snapshot);
    }
    for (;;) {
      // Small pages: 20,000-event pages outlived the young GC generation (measured: 2,000 folds faster).
      const page = await store.readAll({ from: this.appliedPosition, maxCount: 2_000, categories: PROJECTED_CATEGORIES });
      if (page.length === 0) break;
      this.apply(page, { startingUp: true });
    }
    this.subscription = store.subscribe({ from: this.appliedPosition, categories: PROJECTED_CATEGORIES }, (events, checkpoint) =>
      this.apply(events, { startingUp: false, checkpoint }),
    );
  }

  /**
   * Keys, tokens and policies up to `position`, before a snapshot is restored. A method of its own so
   * no closure in `start` captures the snapshot: the subscription's callback, created there, lives as
   * long as the process, and with it whatever its scope captured (measured: the decoded snapshot, 110
   * bytes a secret, or its whole file once slots were decoded lazily).
   */
  private async foldNonSecretsUpTo(store: EventStore, position: number): Promise<void> {
    for (let from = 0; ; ) {
      const page = (await store.readAll({ from, maxCount: 2_000, categories: NON_SECRET_CATEGORIES })).filter((e) => e.position <= position);
      if (page.length === 0) break;
      this.apply(page, { startingUp: true });
      from = (page.at(-1) as RecordedEvent).position;
    }
  }

  /**
   * The secret slots as of the last folded event, for a snapshot; null when a slot is quarantined (its
   * state is not a fold of its events) or nothing was folded. Holds ciphertext only, as the projection does.
   */
  snapshot(): ProjectionSnapshot | null {
    if (this.corruptSlots.size > 0 || this.lastFolded.position === 0) return null;
    const idsOf = new Map<string, string[]>();
    for (const [id, stream] of this.streamById) {
      const list = idsOf.get(stream);
      if (list) list.push(id);
      else idsOf.set(stream, [id]);
    }
    const slots: SnapshotSlot[] = [];
    const streams = new Set([...this.slots.keys(), ...this.slotNames.keys(), ...idsOf.keys()]);
    for (const stream of streams) {
      slots.push({ stream, slot: this.slots.get(stream) ?? initialSlot(), names: this.slotNames.get(stream) ?? null, ids: idsOf.get(stream) ?? [] });
    }
    return { position: this.lastFolded.position, hash: this.lastFolded.hash, slots, times: this.times.entries() };
  }

  async stop(): Promise<void> {
    await this.subscription?.close();
    this.subscription = null;
  }

  apply(events: readonly RecordedEvent[], options: { startingUp: boolean; checkpoint?: number }): void {
    let keysChanged = false;
    let destroyed = false;
    for (const e of events) {
      if (e.position <= this.appliedPosition) continue;
      this.times.record(e.position, e.metadata?.occurredAt ?? '');
      // By type, before parsing: a destroy in a quarantined slot still redacted ciphertexts.
      if (e.type === DESTROY_EVENT_TYPE) destroyed = true;
      const category = categoryOf(e.stream);
      if (e.stream === KEYS_STREAM) {
        // A corrupt keys stream cannot be worked around: fail loudly.
        this.keyringState = evolveKeyring(this.keyringState, parseKeyringEvent(e));
        keysChanged = true;
      } else if (category === TOKEN_CATEGORY || category === POLICY_CATEGORY) {
        this.applyAccessEvent(e);
      } else if (!this.corruptSlots.has(e.stream)) {
        this.applySlotEvent(e);
      }
      this.appliedPosition = e.position;
      this.lastFolded = { position: e.position, hash: e.hash };
      this.folded++;
    }
    if (options.checkpoint !== undefined && options.checkpoint > this.appliedPosition) this.appliedPosition = options.checkpoint;
    if (keysChanged) this.syncKeyring(options.startingUp);
    if (destroyed) this.hooks.versionsDestroyed?.();
    this.releaseWaiters();
  }

  /** Resolves once this process has applied `position`; rejects with STORE_UNAVAILABLE after `timeoutMs`. */
  waitFor(position: number, timeoutMs: number): Promise<void> {
    if (position <= this.appliedPosition) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(
          new StrongroomError(ErrorCode.StoreUnavailable, `this replica has not reached log position ${position} within ${timeoutMs} ms`, {
            position,
            applied: this.appliedPosition,
          }),
        );
      }, timeoutMs);
      const waiter: Waiter = {
        position,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      this.waiters.push(waiter);
    });
  }

  slotOfStream(stream: string): SecretSlot {
    const broken = this.corruptSlots.get(stream);
    if (broken) throw broken;
    return this.slots.get(stream) ?? initialSlot();
  }

  streamOfId(id: string): string | undefined {
    return this.streamById.get(id);
  }

  envOfStream(stream: string): string | undefined {
    return this.slotNames.get(stream)?.env;
  }

  nameOfStream(stream: string): string | undefined {
    return this.slotNames.get(stream)?.name;
  }

  liveByName(env: string, name: string): LiveSecret | null {
    // A quarantined slot may never have recorded its name: look it up by its stream so the caller
    // gets the INTEGRITY_ERROR rather than a misleading "not found".
    const stream = this.streamByName.get(env)?.get(name) ?? slotStream(env, name);
    return this.slotOfStream(stream).live;
  }

  liveById(id: string): LiveSecret | null {
    const stream = this.streamById.get(id);
    if (stream === undefined) return null;
    const live = this.slotOfStream(stream).live;
    return live && live.id === id ? live : null;
  }

  /** Live secrets (not deleted) of one environment, or of all when `env` is undefined; in no particular order. */
  *liveSecrets(env?: string): IterableIterator<LiveSecret> {
    for (const live of this.allSecrets(env)) if (live.deletedAt === null) yield live;
  }

  /** Every secret holding a name (deleted ones within their recovery window too), of one environment or all. */
  *allSecrets(env?: string): IterableIterator<LiveSecret> {
    if (env === undefined) {
      for (const slot of this.slots.values()) if (slot.live) yield slot.live;
      return;
    }
    for (const stream of this.streamByName.get(env)?.values() ?? []) {
      const live = this.slots.get(stream)?.live;
      if (live) yield live;
    }
  }

  /**
   * The secrets of `env` holding a name (deleted ones too) in name order (UTF-16 code units, as names
   * are ASCII: byte order), starting after `after` and within `prefix`. The order is kept sorted between
   * changes of the set of names, so a page costs a binary search plus the page, not a sort of the
   * whole environment: cursors stay cheap over 100,000 secrets.
   */
  *secretsInNameOrder(env: string, options: { readonly after?: string; readonly prefix?: string } = {}): IterableIterator<LiveSecret> {
    const names = this.sortedNamesOf(env);
    const prefix = options.prefix ?? '';
    const after = options.after;
    let lo = lowerBound(names, after !== undefined && after >= prefix ? after : prefix);
    if (after !== undefined && names[lo] === after) lo++;
    const streams = this.streamByName.get(env);
    for (let i = lo; i < names.length; i++) {
      const name = names[i] as string;
      if (!name.startsWith(prefix)) return;
      const live = this.slots.get(streams?.get(name) ?? '')?.live;
      if (live) yield live;
    }
  }

  /** Every secret ever stored (deleted and purged ones too): its id, environment and name. */
  *everStored(): IterableIterator<{ readonly id: string; readonly env: string; readonly name: string }> {
    for (const [id, stream] of this.streamById) {
      const slot = this.slotNames.get(stream);
      if (slot) yield { id, env: slot.env, name: slot.name };
    }
  }

  get liveCount(): number {
    let n = 0;
    for (const names of this.streamByName.values()) n += names.size;
    return n;
  }

  /**
   * The secret slots and time index of a snapshot, in place of folding the secret events up to its
   * position. The index replaces the one the keys, tokens and policies just folded built: the
   * snapshot's covers those events too.
   */
  private restore(snapshot: LoadedSnapshot): void {
    this.times.restore(snapshot.times);
    for (const { stream, slot, names, ids } of snapshot.slots) {
      this.slots.set(stream, slot);
      for (const id of ids) this.streamById.set(id, stream);
      if (names) {
        this.slotNames.set(stream, names);
        // A name is held by the slot's secret while it is live or deleted within its recovery window.
        if (slot.live) this.namesOf(names.env).set(names.name, stream);
      }
    }
    this.sortedNames.clear();
    if (snapshot.position > this.appliedPosition) this.appliedPosition = snapshot.position;
    this.lastFolded = { position: snapshot.position, hash: snapshot.hash };
  }

  private applySlotEvent(e: RecordedEvent): void {
    try {
      const event = parseSlotEvent(e);
      const before = this.slots.get(e.stream) ?? initialSlot();
      const after = evolve(before, event);
      this.slots.set(e.stream, after);
      if (event.type === 'SecretStored') {
        const env = event.data.env ?? DEFAULT_ENV;
        this.streamById.set(event.data.secretId, e.stream);
        this.slotNames.set(e.stream, { env, name: event.data.name });
        this.namesOf(env).set(event.data.name, e.stream);
        this.sortedInsert(env, event.data.name);
      } else if (before.live && !after.live) {
        // Deleted without a recovery window, or purged: the name is free.
        this.namesOf(before.live.env).delete(before.live.name);
        this.sortedRemove(before.live.env, before.live.name);
      }
    } catch (cause) {
      if (!(cause instanceof StrongroomError)) throw cause;
      // One unreadable event quarantines its secret, not the whole service.
      this.corruptSlots.set(e.stream, cause);
      const live = this.slots.get(e.stream)?.live;
      if (live) {
        this.namesOf(live.env).delete(live.name);
        this.sortedRemove(live.env, live.name);
      }
      this.logger.error({ position: e.position, stream: e.stream, code: cause.code }, 'quarantined a secret with a corrupt event; run `strongroom audit verify`');
    }
  }

  /**
   * A token or policy event that does not parse is left out and logged: a token then does not
   * authenticate and a policy grants nothing (fail closed), while everything else keeps working.
   */
  private applyAccessEvent(e: RecordedEvent): void {
    try {
      this.access.apply(e);
    } catch (cause) {
      if (!(cause instanceof StrongroomError)) throw cause;
      this.logger.error({ position: e.position, stream: e.stream, code: cause.code }, 'ignored a corrupt token or policy event; run `strongroom audit verify`');
    }
  }

  /** Keeps a built sorted list in step (a splice, not a sort of the whole list, per change). */
  private sortedInsert(env: string, name: string): void {
    const names = this.sortedNames.get(env);
    if (!names) return;
    const at = lowerBound(names, name);
    if (names[at] !== name) names.splice(at, 0, name);
  }

  private sortedRemove(env: string, name: string): void {
    const names = this.sortedNames.get(env);
    if (!names) return;
    const at = lowerBound(names, name);
    if (names[at] === name) names.splice(at, 1);
  }

  private sortedNamesOf(env: string): string[] {
    let names = this.sortedNames.get(env);
    if (!names) {
      names = [...(this.streamByName.get(env)?.keys() ?? [])].sort();
      this.sortedNames.set(env, names);
    }
    return names;
  }

  private namesOf(env: string): Map<string, string> {
    let names = this.streamByName.get(env);
    if (!names) {
      names = new Map();
      this.streamByName.set(env, names);
    }
    return names;
  }

  private syncKeyring(startingUp: boolean): void {
    try {
      this.keyring.sync(this.keyringState);
    } catch (e) {
      if (startingUp) throw e;
      // Following a live log we cannot stop it; say loudly why this process can no longer use new keys.
      this.logger.error({ code: e instanceof StrongroomError ? e.code : 'UNEXPECTED' }, 'cannot adopt a key from the log');
    }
  }

  private releaseWaiters(): void {
    if (this.waiters.length === 0) return;
    const ready = this.waiters.filter((w) => w.position <= this.appliedPosition);
    if (ready.length === 0) return;
    this.waiters = this.waiters.filter((w) => w.position > this.appliedPosition);
    for (const w of ready) w.resolve();
  }
}

/** The first index of sorted `names` whose name is not below `name`. */
const lowerBound = (names: readonly string[], name: string): number => {
  let lo = 0;
  let hi = names.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((names[mid] as string) < name) lo = mid + 1;
    else hi = mid;
  }
  return lo;
};
