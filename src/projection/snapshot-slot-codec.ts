import type { RotationSchedule } from '../secrets/domain/secret-events.js';
import type { LiveSecret, SecretSlot } from '../secrets/domain/secret-slot.js';
import type { SnapshotSlot } from './projection-snapshot.js';

/**
 * The positional encoding of snapshot slots (format 3, see projection-snapshot.ts). Why positional:
 * profiled at 100,000 secrets, format 2 (one JSON object per slot, one JSON.parse and one
 * Buffer-to-string copy per line) spent ~14 us of the ~22 us per secret of a snapshot start-up in
 * parsing; the field names were half of the 722 bytes per secret. Here a slot is a JSON array, field
 * names are implied by position, and values equal to what a fresh secret holds are written as 0:
 *
 *   slot  [stream, revision, live | 0, names, ids]
 *         names: 0 = the live secret's env and name; null = none known; [env, name] otherwise
 *         ids:   0 = [the live secret's id]; [ids...] otherwise
 *   live  [id, name, env, version, ciphertext, keyId, binary 0|1, metadata | 0, createdAt,
 *          updatedAt | 0, lastRotatedAt | 0, latestVersion, stages | 0, tags | 0, expiresAt,
 *          expired 0|1, expiryWarnings | 0, rotation, rotationDueNotified, deletedAt, purgeAt,
 *          destroyedVersions | 0]
 *         0 in an object or list field: empty; in updatedAt / lastRotatedAt: equal to createdAt
 *
 * A decoded secret's empty records and lists are shared frozen values (fewer objects per secret):
 * the projection's state is immutable (evolve copies on every change), so nothing writes to them.
 * Key ids are shared through a pool too: JSON.parse gives each of a million a copy of its own (it
 * shares only strings of up to 10 characters), 48 bytes a secret for a handful of distinct keys.
 */

/** One slot as written: see the file's doc. */
export type EncodedSlot = [string, number, EncodedLive | 0, 0 | null | [string, string], 0 | string[]];

type EncodedLive = [
  string, string, string, number, string, string, 0 | 1, LiveSecret['metadata'] | 0, string,
  string | 0, string | 0, number, LiveSecret['stages'] | 0, LiveSecret['tags'] | 0, string | null,
  0 | 1, readonly string[] | 0, RotationSchedule | null, string | null, string | null, string | null, readonly number[] | 0,
];

const EMPTY_RECORD: Readonly<Record<string, never>> = Object.freeze({});
const EMPTY_LIST: readonly never[] = Object.freeze([]);

const isEmptyRecord = (record: object): boolean => {
  for (const _ in record) return false;
  return true;
};
const recordOrZero = <T extends object>(record: T): T | 0 => (isEmptyRecord(record) ? 0 : record);
const listOrZero = <T>(list: readonly T[]): readonly T[] | 0 => (list.length === 0 ? 0 : list);

const encodeLive = (l: LiveSecret): EncodedLive => [
  l.id, l.name, l.env, l.version, l.ciphertext, l.keyId, l.binary ? 1 : 0, recordOrZero(l.metadata), l.createdAt,
  l.updatedAt === l.createdAt ? 0 : l.updatedAt, l.lastRotatedAt === l.createdAt ? 0 : l.lastRotatedAt, l.latestVersion,
  recordOrZero(l.stages), recordOrZero(l.tags), l.expiresAt, l.expired ? 1 : 0, listOrZero(l.expiryWarnings), l.rotation,
  l.rotationDueNotified, l.deletedAt, l.purgeAt, listOrZero(l.destroyedVersions),
];

/** Fails (caught by the reader as 'malformed') unless `value` is a string. */
const str = (value: unknown): string => {
  if (typeof value !== 'string') throw new Error('malformed projection snapshot: slot: expected a string');
  return value;
};

/**
 * One copy of each distinct string put through it, for the strings a snapshot repeats across
 * secrets (key ids). One pool per snapshot read; it holds at most as many strings as there are keys.
 */
export class StringPool {
  private readonly strings = new Map<string, string>();

  /** `text`, or the equal string this pool saw first. */
  of(text: string): string {
    const seen = this.strings.get(text);
    if (seen !== undefined) return seen;
    this.strings.set(text, text);
    return text;
  }
}

const decodeLive = (e: EncodedLive, pool: StringPool): LiveSecret => {
  const createdAt = str(e[8]);
  return {
    id: str(e[0]),
    name: str(e[1]),
    env: str(e[2]),
    version: e[3],
    ciphertext: str(e[4]),
    keyId: pool.of(str(e[5])),
    binary: e[6] === 1,
    metadata: e[7] === 0 ? EMPTY_RECORD : e[7],
    createdAt,
    updatedAt: e[9] === 0 ? createdAt : e[9],
    lastRotatedAt: e[10] === 0 ? createdAt : e[10],
    latestVersion: e[11],
    stages: e[12] === 0 ? EMPTY_RECORD : e[12],
    tags: e[13] === 0 ? EMPTY_RECORD : e[13],
    expiresAt: e[14],
    expired: e[15] === 1,
    expiryWarnings: e[16] === 0 ? EMPTY_LIST : e[16],
    rotation: e[17],
    rotationDueNotified: e[18],
    deletedAt: e[19],
    purgeAt: e[20],
    destroyedVersions: e[21] === 0 ? EMPTY_LIST : e[21],
  };
};

/** One slot in the positional form (see the file's doc). */
export const encodeSlot = (s: SnapshotSlot): EncodedSlot => {
  const live = s.slot.live;
  const namesAreLive = live !== null && s.names !== null && s.names.env === live.env && s.names.name === live.name;
  const idsAreLive = live !== null && s.ids.length === 1 && s.ids[0] === live.id;
  return [
    s.stream,
    s.slot.revision,
    live ? encodeLive(live) : 0,
    namesAreLive ? 0 : s.names ? [s.names.env, s.names.name] : null,
    idsAreLive ? 0 : [...s.ids],
  ];
};

/**
 * The slot `encodeSlot` wrote; key ids are taken from `pool`. Throws an Error (the reader answers 'malformed') when a field that
 * keys the projection's maps is not a string or the slot is not an array of five.
 */
export const decodeSlot = (e: EncodedSlot, pool: StringPool): SnapshotSlot => {
  if (!Array.isArray(e) || e.length !== 5) throw new Error('malformed projection snapshot: slot: expected an array of 5');
  const live = e[2] === 0 ? null : decodeLive(e[2], pool);
  const names = e[3] === 0 ? live && { env: live.env, name: live.name } : e[3] && { env: str(e[3][0]), name: str(e[3][1]) };
  if (e[3] === 0 && !live) throw new Error('malformed projection snapshot: slot: names of no live secret');
  const ids = e[4] === 0 ? (live ? [live.id] : null) : e[4];
  if (!ids) throw new Error('malformed projection snapshot: slot: ids of no live secret');
  const slot: SecretSlot = { revision: e[1], live };
  return { stream: str(e[0]), slot, names, ids };
};
