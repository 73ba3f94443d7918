/**
 * A committed event as Strongroom publishes it (docs/EVENTS.md): metadata only, never a value. The
 * server's publisher builds exactly this type (PublishedEvent).
 */
export interface StrongroomEvent {
  readonly type: string;
  /** Version of this type's published shape (the server's PUBLISHED_FIELDS). */
  readonly version: number;
  /** The log position: also the JetStream message id, so a subscriber dedupes by it. */
  readonly position: number;
  readonly occurredAt: string;
  /** The Strongroom environment, or `_global` for identities, policies and master/audit keys. */
  readonly env: string;
  /** For a secret's events: its name (the stored event may name only its id). */
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
