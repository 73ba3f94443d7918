/**
 * The wire contract of the secret use cases: what their results look like as JSON, and the options
 * callers pass. Shared by the server (the use cases re-export these types) and the client SDK.
 *
 * Why a folder of its own (src/contracts/): the SDK is also published as `@strongroom/client`
 * (packages/client), compiled by plain tsc from src/client and this folder only. Its declarations must
 * not reference a server file or a framework type, so the shapes both sides share live here, importing
 * nothing: no Nest, no zod, no `node:` module (test/client/client-package.test.ts checks the packed
 * package). The alternative, bundling the client's JS and inlining its declarations, needs a new
 * dependency, and the declaration bundlers drive TypeScript's JS compiler API, which TypeScript 7 (the
 * repository's native compiler) does not offer; one definition here needs no tool (docs/CLIENT.md).
 */

/** What every secret write answers: enough to read one's own write on any replica (`position`). */
export interface WriteResult {
  readonly id: string;
  readonly name: string;
  readonly env: string;
  readonly version: number;
  /** Global log position of the write; pass it as a minimum position to read your own write. */
  readonly position: number;
}

export type SecretMetadata = Readonly<Record<string, string | number | boolean | null>>;

/** Tags: string keys to string values, filtered on by `list-secrets --tag k=v`. */
export type SecretTags = Readonly<Record<string, string>>;

/** What a delete answers: when the recovery window ends (null: the secret is already purged). */
export interface DeleteResult extends WriteResult {
  readonly purgeAt: string | null;
}

export interface DestroyResult {
  readonly id: string;
  readonly name: string;
  readonly env: string;
  /** The versions now destroyed (all of them for a whole secret). */
  readonly versions: readonly number[];
  /** Events whose ciphertext this call redacted (0 when an earlier destroy already had). */
  readonly redacted: number;
  /** True when the whole secret was destroyed: it is purged, its name free. */
  readonly purged: boolean;
  readonly position: number;
}

/** What a promotion answers: the version now holding the stage, and the former current one. */
export interface PromoteResult extends WriteResult {
  readonly stage: string;
  /** For `current`: the version that was current before (now `previous`). */
  readonly previousVersion: number | null;
}

export interface RotationStatusEntry {
  readonly id: string;
  readonly name: string;
  readonly every: string;
  readonly lastRotatedAt: string;
  readonly dueAt: string;
  /** The service rotates it itself with a generated value. */
  readonly generated: boolean;
  /** A pending version awaits promotion (a rotation in progress). */
  readonly pendingVersion: number | null;
}

/** A secret with an expiry: already expired (`expired`), or expiring within the window. */
export interface ExpiryStatusEntry {
  readonly id: string;
  readonly name: string;
  /** ISO-8601 UTC. */
  readonly expiresAt: string;
  readonly expired: boolean;
}

export interface RotationStatus {
  readonly env: string;
  readonly at: string;
  /** Due at or before `at`, most overdue first. */
  readonly overdue: readonly RotationStatusEntry[];
  /** Due after `at` and within `withinDays`, soonest first. */
  readonly upcoming: readonly RotationStatusEntry[];
  /** Secrets expired, or expiring within `withinDays`, soonest first (reads of an expired one get SECRET_EXPIRED). */
  readonly expiring: readonly ExpiryStatusEntry[];
}

/** One change of a secret, without its value or ciphertext. */
export interface SecretHistoryEntry {
  readonly position: number;
  readonly type: string;
  readonly version: number;
  readonly keyId: string | null;
  readonly actor: string;
  readonly interface: string;
  readonly occurredAt: string;
}

export interface SecretHistory {
  readonly id: string;
  readonly name: string;
  readonly env: string;
  readonly entries: readonly SecretHistoryEntry[];
  /** Value rotations only (a subset of `entries`), newest last. */
  readonly rotations: readonly SecretHistoryEntry[];
}

/** A secret as listed: never a value, never ciphertext. */
export interface SecretSummary {
  readonly id: string;
  readonly name: string;
  readonly env: string;
  readonly version: number;
  readonly keyId: string;
  readonly binary: boolean;
  readonly metadata: SecretMetadata;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly lastRotatedAt: string;
  /** `deleted` within its recovery window (restorable until `purgeAt`), `expired` past `expiresAt`. */
  readonly status: 'active' | 'expired' | 'deleted';
  /** Stage labels and the versions holding them (`current` included). */
  readonly stages: Readonly<Record<string, number>>;
  readonly latestVersion: number;
  readonly tags: SecretTags;
  readonly expiresAt: string | null;
  readonly rotation: { readonly every: string; readonly dueAt: string; readonly generated: boolean } | null;
  readonly deletedAt: string | null;
  readonly purgeAt: string | null;
  readonly destroyedVersions: readonly number[];
}

/** One page of a listing; `nextCursor` is null on the last page. */
export interface SecretPage {
  readonly secrets: SecretSummary[];
  readonly nextCursor: string | null;
}

/** Metadata as writes carry it: flat JSON values. */
export type Metadata = Record<string, string | number | boolean | null>;

/** A generated value: `length` characters (8-4096, default 32) from `charset` (default alphanumeric). */
export interface GenerateOptions {
  readonly length?: number;
  readonly charset?: 'alphanumeric' | 'alpha' | 'numeric' | 'hex' | 'base64url' | 'printable';
}

/**
 * The lifecycle of a secret as writes set it: tags (replaced whole), an expiry (`expiresAt`, ISO-8601,
 * or `ttl` such as `90d`; null clears), a rotation schedule (`rotateEvery` such as `30d`, null clears;
 * with `rotationGenerator` the service rotates it itself with a generated value).
 */
export interface LifecycleOptions {
  readonly tags?: Record<string, string>;
  readonly expiresAt?: string | null;
  readonly ttl?: string;
  readonly rotateEvery?: string | null;
  readonly rotationGenerator?: GenerateOptions;
}

/** Which secrets a listing returns, and how many at a time. */
export interface ListOptions {
  readonly minPosition?: number;
  /** Names starting with this. */
  readonly prefix?: string;
  /** `key=value` (or several, all of which must match). */
  readonly tag?: string | string[];
  /** At most this many (1-1000); the next page starts at `cursor`. */
  readonly limit?: number;
  readonly cursor?: string;
}
