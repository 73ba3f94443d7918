import { decide, type SecretCommand } from '../../src/secrets/domain/secret.decider.js';
import type { SecretEvent } from '../../src/secrets/domain/secret-events.js';
import { dueWork, rotationDueAt } from '../../src/secrets/domain/secret-lifecycle.js';
import { lifecycleChange, validateGenerator, validateTags } from '../../src/secrets/domain/lifecycle-rules.js';
import { evolve, initialSlot, isExpired, statusOf, type SecretSlot, type SlotEvent } from '../../src/secrets/domain/secret-slot.js';
import { deciderSpec } from './given-when-then.js';

/**
 * The life of a secret as given/when/then over the pure decider: stages and rollback, recovery windows,
 * destroy, expiry and rotation schedules. Time is always given (`now`), never read.
 */
const T0 = '2026-11-24T00:00:00.000Z';
const day = (n: number): string => new Date(Date.parse(T0) + n * 86_400_000).toISOString();
let revision = 0;
let clock = T0;
const at = (e: SecretEvent): SlotEvent => ({ ...e, revision: revision++, metadata: { occurredAt: clock } }) as SlotEvent;
// Decisions are compared as decided (type and data); the given events are folded as recorded.
const spec = deciderSpec<SecretSlot, SlotEvent | SecretEvent, SecretCommand>({
  decide: (c, s) => decide(c, s),
  evolve: (s, e) => evolve(s, e as SlotEvent),
  initialState: () => {
    revision = 0;
    return initialSlot();
  },
});
const ID = 'a'.repeat(32);
const value = (c: string) => ({ ciphertext: c, keyId: 'k1', binary: false });
const stored = (extra: object = {}): SlotEvent =>
  at({ type: 'SecretStored', data: { secretId: ID, name: 'db', version: 1, ciphertext: 'c1', keyId: 'k1', metadata: {}, ...extra } } as SecretEvent);
const updated = (version: number): SlotEvent => at({ type: 'SecretUpdated', data: { secretId: ID, version, ciphertext: `c${version}`, keyId: 'k1' } });
const pending = (version: number): SlotEvent => at({ type: 'SecretVersionPending', data: { secretId: ID, version, ciphertext: `c${version}`, keyId: 'k1' } });
const fold = (events: SlotEvent[]): SecretSlot => events.reduce(evolve, initialSlot());

beforeEach(() => {
  revision = 0;
  clock = T0;
});

describe('stages and rollback', () => {
  it('given versions 1 and 2, the former current version is previous', () => {
    expect(fold([stored(), updated(2)]).live).toMatchObject({ version: 2, latestVersion: 2, stages: { previous: 1 } });
  });

  it('puts a pending version above the latest without changing what is current', () => {
    spec.given([stored()]).when({ type: 'PutPendingVersion', data: { secretId: ID, ...value('c2') } }).then([{ type: 'SecretVersionPending', data: { secretId: ID, version: 2, ciphertext: 'c2', keyId: 'k1' } }]);
    expect(fold([stored(), pending(2)]).live).toMatchObject({ version: 1, ciphertext: 'c1', latestVersion: 2, stages: { pending: 2 } });
  });

  it('refuses a second pending version while one is pending (it must be promoted or cancelled first)', () => {
    spec.given([stored(), pending(2)]).when({ type: 'PutPendingVersion', data: { secretId: ID, ...value('c3') } }).thenThrows('VERSION_CONFLICT');
  });

  it('promotes the pending version: it becomes current, the old current previous, and pending is gone', () => {
    spec
      .given([stored(), pending(2)])
      .when({ type: 'PromoteVersion', data: { secretId: ID, version: 2, stage: 'current', value: value('c2') } })
      .then([({ type: 'SecretVersionPromoted', data: { secretId: ID, version: 2, previousVersion: 1, ciphertext: 'c2', keyId: 'k1' } })]);
    revision = 0;
    const promoted = at({ type: 'SecretVersionPromoted', data: { secretId: ID, version: 2, previousVersion: 1, ciphertext: 'c2', keyId: 'k1' } });
    expect(fold([stored(), pending(2), promoted]).live).toMatchObject({ version: 2, ciphertext: 'c2', stages: { previous: 1 } });
    expect(fold([stored(), pending(2), promoted]).live?.stages.pending).toBeUndefined();
  });

  it('rolls back by promoting an older version; promoting the current version does nothing', () => {
    spec
      .given([stored(), updated(2), updated(3)])
      .when({ type: 'PromoteVersion', data: { secretId: ID, version: 1, stage: 'current', value: value('c1') } })
      .then([({ type: 'SecretVersionPromoted', data: { secretId: ID, version: 1, previousVersion: 3, ciphertext: 'c1', keyId: 'k1' } })]);
    spec.given([stored(), updated(2)]).when({ type: 'PromoteVersion', data: { secretId: ID, version: 2, stage: 'current' } }).then([]);
  });

  it('numbers a new version after the latest, even when a pending version sits above the current one', () => {
    spec
      .given([stored(), pending(2)])
      .when({ type: 'UpdateSecret', data: { secretId: ID, ...value('c3') } })
      .then([({ type: 'SecretUpdated', data: { secretId: ID, version: 3, ciphertext: 'c3', keyId: 'k1' } })]);
  });

  it('moves a label of the user to a version, and refuses to move the stages that move by themselves', () => {
    spec
      .given([stored(), updated(2)])
      .when({ type: 'PromoteVersion', data: { secretId: ID, version: 1, stage: 'stable' } })
      .then([({ type: 'SecretStageMoved', data: { secretId: ID, stage: 'stable', version: 1 } })]);
    spec.given([stored(), updated(2)]).when({ type: 'PromoteVersion', data: { secretId: ID, version: 1, stage: 'previous' } }).thenThrows('INVALID_INPUT');
    spec.given([stored(), updated(2)]).when({ type: 'PromoteVersion', data: { secretId: ID, version: 9, stage: 'stable' } }).thenThrows('SECRET_NOT_FOUND');
  });

  it('cancels a pending version by removing its stage; current and previous cannot be removed', () => {
    spec.given([stored(), pending(2)]).when({ type: 'RemoveStage', data: { secretId: ID, stage: 'pending' } }).then([({ type: 'SecretStageRemoved', data: { secretId: ID, stage: 'pending', version: 2 } })]);
    spec.given([stored()]).when({ type: 'RemoveStage', data: { secretId: ID, stage: 'pending' } }).thenThrows('SECRET_NOT_FOUND');
    spec.given([stored(), updated(2)]).when({ type: 'RemoveStage', data: { secretId: ID, stage: 'previous' } }).thenThrows('INVALID_INPUT');
  });

  it('changes metadata, tags, expiry and schedule without a new version', () => {
    spec
      .given([stored()])
      .when({ type: 'UpdateSecretMetadata', data: { secretId: ID, tags: { team: 'pay' }, expiresAt: day(10) } })
      .then([({ type: 'SecretMetadataUpdated', data: { secretId: ID, version: 1, tags: { team: 'pay' }, expiresAt: day(10) } })]);
    spec.given([stored()]).when({ type: 'UpdateSecretMetadata', data: { secretId: ID } }).thenThrows('INVALID_INPUT');
    revision = 0;
    const slot = fold([stored(), at({ type: 'SecretMetadataUpdated', data: { secretId: ID, version: 1, tags: { team: 'pay' } } })]);
    expect(slot.live).toMatchObject({ version: 1, latestVersion: 1, tags: { team: 'pay' } });
  });
});

describe('delete, restore, purge', () => {
  const deleted = () => at({ type: 'SecretDeleted', data: { secretId: ID, version: 1, recoveryDays: 7, purgeAt: day(7) } });

  it('starts a recovery window of the given days', () => {
    spec
      .given([stored()])
      .when({ type: 'DeleteSecret', data: { secretId: ID, now: T0, recoveryDays: 7 } })
      .then([({ type: 'SecretDeleted', data: { secretId: ID, version: 1, recoveryDays: 7, purgeAt: day(7) } })]);
  });

  it('purges at once with force or a window of 0 days', () => {
    const now: SecretEvent[] = [{ type: 'SecretDeleted', data: { secretId: ID, version: 1, recoveryDays: 0 } }, { type: 'SecretPurged', data: { secretId: ID, version: 1 } }];
    spec.given([stored()]).when({ type: 'DeleteSecret', data: { secretId: ID, now: T0, recoveryDays: 7, force: true } }).then(now);
    spec.given([stored()]).when({ type: 'DeleteSecret', data: { secretId: ID, now: T0, recoveryDays: 0 } }).then(now);
  });

  it('during the window: the name stays reserved, changes are refused, restore brings it back', () => {
    spec
      .given([stored(), deleted()])
      .when({ type: 'StoreSecret', data: { secretId: 'b'.repeat(32), name: 'db', env: 'default', ...value('x'), metadata: {}, now: day(3) } })
      .thenThrows('SECRET_NAME_CONFLICT');
    spec.given([stored(), deleted()]).when({ type: 'RotateSecret', data: { secretId: ID, ...value('x') } }).thenThrows('SECRET_DELETED');
    spec.given([stored(), deleted()]).when({ type: 'RestoreSecret', data: { secretId: ID, now: day(3) } }).then([({ type: 'SecretRestored', data: { secretId: ID, version: 1 } })]);
    revision = 0;
    expect(fold([stored(), deleted(), at({ type: 'SecretRestored', data: { secretId: ID, version: 1 } })]).live).toMatchObject({ deletedAt: null, purgeAt: null, version: 1 });
  });

  it('after the window: restore is refused, the timer purges, and a store of the name purges first', () => {
    spec.given([stored(), deleted()]).when({ type: 'RestoreSecret', data: { secretId: ID, now: day(7) } }).thenThrows('SECRET_NOT_FOUND');
    spec
      .given([stored(), deleted()])
      .when({ type: 'RunTimers', data: { secretId: ID, now: day(7), warnings: [] } })
      .then([({ type: 'SecretPurged', data: { secretId: ID, version: 1 } })]);
    spec.given([stored(), deleted()]).when({ type: 'RunTimers', data: { secretId: ID, now: day(6), warnings: [] } }).then([]);
    const other = 'b'.repeat(32);
    revision = 0;
    const events = decide({ type: 'StoreSecret', data: { secretId: other, name: 'db', env: 'default', ...value('x'), metadata: {}, now: day(8) } }, fold([stored(), deleted()]));
    expect(events.map((e) => e.type)).toEqual(['SecretPurged', 'SecretStored']);
  });

  it('folds a delete recorded before recovery windows existed as gone at once', () => {
    expect(fold([stored(), at({ type: 'SecretDeleted', data: { secretId: ID, version: 1 } })]).live).toBeNull();
  });
});

describe('destroy', () => {
  const redaction = { position: 1, digest: 'd', redactedDigest: 'r' };

  it('destroys older versions and keeps the current one; refuses the current one alone', () => {
    spec
      .given([stored(), updated(2)])
      .when({ type: 'DestroySecret', data: { secretId: ID, versions: [1], whole: false, redactions: [redaction] } })
      .then([({ type: 'SecretVersionsDestroyed', data: { secretId: ID, versions: [1], redactions: [redaction] } })]);
    spec.given([stored(), updated(2)]).when({ type: 'DestroySecret', data: { secretId: ID, versions: [2], whole: false, redactions: [] } }).thenThrows('VERSION_CONFLICT');
  });

  it('destroys every version and ends the secret; a second destroy with nothing left does nothing', () => {
    const events = decide({ type: 'DestroySecret', data: { secretId: ID, versions: [1, 2], whole: true, redactions: [redaction] } }, fold([stored(), updated(2)]));
    expect(events).toEqual([
      { type: 'SecretVersionsDestroyed', data: { secretId: ID, versions: [1, 2], redactions: [redaction] } },
      { type: 'SecretPurged', data: { secretId: ID, version: 2 } },
    ]);
    const after = fold([stored(), updated(2), ...events.map(at)]);
    expect(after.live).toBeNull();
    expect(decide({ type: 'DestroySecret', data: { secretId: ID, versions: [1, 2], whole: true, redactions: [] } }, after)).toEqual([]);
  });

  it('drops stages from destroyed versions and refuses to promote them', () => {
    revision = 0;
    const slot = fold([stored(), updated(2), at({ type: 'SecretVersionsDestroyed', data: { secretId: ID, versions: [1], redactions: [] } })]);
    expect(slot.live).toMatchObject({ destroyedVersions: [1], stages: {} });
    expect(() => decide({ type: 'PromoteVersion', data: { secretId: ID, version: 1, stage: 'current', value: value('x') } }, slot)).toThrow(expect.objectContaining({ code: 'VERSION_DESTROYED' }));
  });

  it('a slot keeps no ciphertext of a destroyed version, even the current one (snapshots are written from slots)', () => {
    revision = 0;
    const older = fold([stored(), updated(2), at({ type: 'SecretVersionsDestroyed', data: { secretId: ID, versions: [1], redactions: [] } })]);
    expect(older.live).toMatchObject({ version: 2, ciphertext: 'c2' });
    revision = 0;
    const current = fold([stored(), updated(2), at({ type: 'SecretVersionsDestroyed', data: { secretId: ID, versions: [2], redactions: [] } })]);
    expect(current.live).toMatchObject({ version: 2, destroyedVersions: [2], ciphertext: '' });
  });
});

describe('expiry', () => {
  it('expires at the expiry, not before; warns at each lead time once; an expired secret is refused by the clock alone', () => {
    const given = [stored({ expiresAt: day(20) })];
    spec.given(given).when({ type: 'RunTimers', data: { secretId: ID, now: day(5), warnings: ['14d', '3d'] } }).then([]);
    spec
      .given(given)
      .when({ type: 'RunTimers', data: { secretId: ID, now: day(6), warnings: ['14d', '3d'] } })
      .then([({ type: 'SecretExpiring', data: { secretId: ID, version: 1, expiresAt: day(20), leadTime: '14d' } })]);
    const warned = [...given, at({ type: 'SecretExpiring', data: { secretId: ID, version: 1, expiresAt: day(20), leadTime: '14d' } })];
    spec.given(warned).when({ type: 'RunTimers', data: { secretId: ID, now: day(7), warnings: ['14d', '3d'] } }).then([]);
    spec
      .given(warned)
      .when({ type: 'RunTimers', data: { secretId: ID, now: day(20), warnings: ['14d', '3d'] } })
      .then([({ type: 'SecretExpired', data: { secretId: ID, version: 1, expiresAt: day(20) } })]);
    revision = 0;
    const live = fold([stored({ expiresAt: day(20) })]).live;
    expect(live && isExpired(live, new Date(day(20)))).toBe(true);
    expect(live && statusOf(live, new Date(day(19)))).toBe('active');
  });

  it('a new expiry starts afresh: not expired, no warnings yet', () => {
    const slot = fold([
      stored({ expiresAt: day(1) }),
      at({ type: 'SecretExpired', data: { secretId: ID, version: 1, expiresAt: day(1) } }),
      at({ type: 'SecretMetadataUpdated', data: { secretId: ID, version: 1, expiresAt: day(30) } }),
    ]);
    expect(slot.live).toMatchObject({ expired: false, expiresAt: day(30), expiryWarnings: [] });
  });
});

describe('rotation schedules', () => {
  it('is due `every` after the last rotation, recorded once per due time', () => {
    const given = [stored({ rotation: { every: '30d' } })];
    revision = 0;
    expect(rotationDueAt(fold(given).live as never)).toBe(day(30));
    spec.given(given).when({ type: 'RunTimers', data: { secretId: ID, now: day(29), warnings: [] } }).then([]);
    const due: SecretEvent = { type: 'SecretRotationDue', data: { secretId: ID, version: 1, dueAt: day(30), every: '30d' } };
    spec.given(given).when({ type: 'RunTimers', data: { secretId: ID, now: day(31), warnings: [] } }).then([due]);
    spec.given([...given, at(due)]).when({ type: 'RunTimers', data: { secretId: ID, now: day(40), warnings: [] } }).then([]);
  });

  it('with a generator, rotates the value itself when due', () => {
    const given = [stored({ rotation: { every: '30d', generate: { length: 16, charset: 'hex' } } })];
    spec
      .given(given)
      .when({ type: 'RunTimers', data: { secretId: ID, now: day(30), warnings: [], generated: value('g2') } })
      .then([({ type: 'SecretRotated', data: { secretId: ID, version: 2, ciphertext: 'g2', keyId: 'k1', generated: true } })]);
  });

  it('moves the due time with each rotation', () => {
    clock = day(10);
    const rotated = at({ type: 'SecretRotated', data: { secretId: ID, version: 2, ciphertext: 'c2', keyId: 'k1' } });
    clock = T0;
    revision = 0;
    const slot = fold([stored({ rotation: { every: '30d' } }), { ...rotated, revision: 1 }]);
    expect(dueWork(slot.live as never, new Date(day(31)), [])).toEqual([]);
    expect(dueWork(slot.live as never, new Date(day(40)), [])).toEqual([{ kind: 'rotate', dueAt: day(40), generate: false }]);
  });
});

describe('lifecycle input rules', () => {
  const now = new Date(T0);

  it('turns ttl into an expiry, refuses both, refuses a past expiry', () => {
    expect(lifecycleChange({ ttl: '90d' }, now)).toEqual({ expiresAt: day(90) });
    expect(() => lifecycleChange({ ttl: '90d', expiresAt: day(1) }, now)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => lifecycleChange({ expiresAt: day(-1) }, now)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => lifecycleChange({ expiresAt: 'tomorrow' }, now)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(lifecycleChange({ expiresAt: null, rotateEvery: null }, now)).toEqual({ expiresAt: null, rotation: null });
  });

  it('checks schedules, generators and tags', () => {
    expect(lifecycleChange({ rotateEvery: '30d', rotationGenerator: { length: 20 } }, now)).toEqual({ rotation: { every: '30d', generate: { length: 20, charset: 'alphanumeric' } } });
    expect(() => lifecycleChange({ rotateEvery: '5m' }, now)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => lifecycleChange({ rotationGenerator: {} }, now)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => validateGenerator({ length: 7 })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => validateGenerator({ charset: 'emoji' })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => validateTags({ team: 1 })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => validateTags({ 'bad key': 'x' })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => validateTags(Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v'])))).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});
