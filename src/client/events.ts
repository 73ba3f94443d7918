/**
 * A committed event as Strongroom publishes it (docs/EVENTS.md): metadata only, never a value.
 * Mirrors the server's PublishedEvent; a field added there is a new `version` here.
 */
export interface StrongroomEvent {
  readonly type: string;
  readonly version: number;
  readonly position: number;
  readonly occurredAt: string;
  /** The environment, or `_global`. */
  readonly env: string;
  /** For a secret's events: its name. */
  readonly name?: string;
  readonly actor: string;
  readonly actorKind?: string;
  readonly tokenId?: string;
  readonly interface: string;
  readonly correlationId: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/** Stops a watch. */
export type Unwatch = () => Promise<void>;

/** Which events a watch delivers: one environment's (default: the client's), and only these types (default: all). */
export interface WatchOptions {
  readonly env?: string;
  readonly types?: readonly string[];
  /** Replay: every event after this log position first (default: only events published from now on). */
  readonly fromPosition?: number;
}

/**
 * Events that change what a read of a secret returns: a cached value is dropped on any of them (and on
 * anything that makes the client unsure it heard every event, such as a reconnect).
 */
export const VALUE_CHANGING_EVENTS: ReadonlySet<string> = new Set([
  'SecretUpdated',
  'SecretRotated',
  'SecretVersionPromoted',
  'SecretStageMoved',
  'SecretStageRemoved',
  'SecretDeleted',
  'SecretRestored',
  'SecretPurged',
  'SecretExpired',
  'SecretVersionsDestroyed',
  'SecretReEncrypted',
  'SecretMetadataUpdated',
]);
