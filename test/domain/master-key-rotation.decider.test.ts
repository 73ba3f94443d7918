import type { KeyEvent } from '../../src/keys/domain/key-events.js';
import { acceptedMasterKeyIds, evolveKeyring, initialKeyring, type KeyringEvent, type KeyringState } from '../../src/keys/domain/keyring-state.js';
import { decideCompleteRotation, decideInitialise, decideStartRotation } from '../../src/keys/domain/keyring.decider.js';
import {
  decideCancelMasterRotation,
  decideCompleteMasterRotation,
  decideStartMasterRotation,
  keysToRewrap,
  type EndMasterRotation,
  type StartMasterRotation,
} from '../../src/keys/domain/master-key-rotation.decider.js';
import { deciderSpec } from './given-when-then.js';

type Command = ({ kind: 'start' } & StartMasterRotation) | ({ kind: 'complete' | 'cancel' } & EndMasterRotation);

const at = (revision: number): KeyringEvent['metadata'] => ({ occurredAt: `2026-11-24T00:00:${String(revision).padStart(2, '0')}.000Z`, actor: 'tester' });
const evolve = (state: KeyringState, e: KeyEvent): KeyringState =>
  evolveKeyring(state, { ...e, revision: state.revision + 1, metadata: at(state.revision + 1) } as KeyringEvent);
const fold = (events: KeyEvent[]): KeyringState => events.reduce(evolve, initialKeyring());

const spec = deciderSpec<KeyringState, KeyEvent, Command>({
  decide: (c, s) => (c.kind === 'start' ? decideStartMasterRotation(s, c) : c.kind === 'complete' ? decideCompleteMasterRotation(s, c) : decideCancelMasterRotation(s, c)),
  evolve,
  initialState: initialKeyring,
});

// A store on master key m1 with an audit key, a retired data key k1 (its history still readable) and k2.
const init = decideInitialise(initialKeyring(), { masterKeyId: 'm1', auditKey: { keyId: 'audit', wrappedKey: 'wa' }, dataKey: { keyId: 'k1', wrappedKey: 'w1' } });
const dataKeyRotated = (() => {
  const started = [...init, ...decideStartRotation(fold(init), { env: 'default', rotationId: 'r1', newKey: { keyId: 'k2', wrappedKey: 'w2' }, wrappingMasterKeyId: 'm1' })];
  return [...started, ...decideCompleteRotation(fold(started), { rotationId: 'r1', reEncrypted: 1, keysInUse: new Set(['k2']) })];
})();
const rewrapped = [
  { keyId: 'audit', wrappedKey: 'wa-m2' },
  { keyId: 'k1', wrappedKey: 'w1-m2' },
  { keyId: 'k2', wrappedKey: 'w2-m2' },
];
const start = (c: Partial<StartMasterRotation> = {}): Command => ({
  kind: 'start',
  rotationId: 'mr1',
  masterKeyId: 'm2',
  mode: 'swap',
  rewrapped,
  holderMasterKeyId: 'm1',
  ...c,
});
const started: KeyEvent = { type: 'MasterKeyRotationStarted', data: { rotationId: 'mr1', previousMasterKeyId: 'm1', masterKeyId: 'm2', mode: 'swap', rewrapped } };
const completed: KeyEvent = { type: 'MasterKeyRotationCompleted', data: { rotationId: 'mr1', previousMasterKeyId: 'm1', masterKeyId: 'm2' } };
const cancelled: KeyEvent = { type: 'MasterKeyRotationCancelled', data: { rotationId: 'mr1', masterKeyId: 'm2' } };

describe('master-key rotation decider', () => {
  it('given a retired data key, starting rewraps every key, the retired one too', () => {
    expect(fold(dataKeyRotated).dataKeys.get('k1')?.retiredAt).not.toBeNull();
    expect(keysToRewrap(fold(dataKeyRotated), new Set()).sort()).toEqual(['k1', 'k2']);
    spec.given(dataKeyRotated).when(start()).then([started]);
  });

  it('refuses a start that leaves a key (retired or not) unwrapped under the new master key', () => {
    spec.given(dataKeyRotated).when(start({ rewrapped: rewrapped.filter((w) => w.keyId !== 'k1') })).thenThrows('KEY_UNAVAILABLE');
    spec.given(dataKeyRotated).when(start({ rewrapped: [...rewrapped, { keyId: 'stranger', wrappedKey: 'x' }] })).thenThrows('INVALID_INPUT');
  });

  it('refuses a second start while one is pending, in either mode', () => {
    spec.given([...dataKeyRotated, started]).when(start({ rotationId: 'mr2', masterKeyId: 'm3' })).thenThrows('ROTATION_IN_PROGRESS');
    spec.given([...dataKeyRotated, started]).when(start({ rotationId: 'mr2', masterKeyId: 'm3', mode: 'prepared' })).thenThrows('ROTATION_IN_PROGRESS');
  });

  it('refuses a start by a process whose master key the store has left (a rotation completed meanwhile)', () => {
    spec.given([...dataKeyRotated, started, completed]).when(start({ rotationId: 'mr2', masterKeyId: 'm3' })).thenThrows('ROTATION_IN_PROGRESS');
    spec.given([...dataKeyRotated, started, completed]).when(start({ rotationId: 'mr2', masterKeyId: 'm3', holderMasterKeyId: 'm2' })).then([
      { type: 'MasterKeyRotationStarted', data: { rotationId: 'mr2', previousMasterKeyId: 'm2', masterKeyId: 'm3', mode: 'swap', rewrapped } },
    ]);
  });

  it('refuses a new master key the store has used before', () => {
    spec.given([...dataKeyRotated, started, completed]).when(start({ rotationId: 'mr2', masterKeyId: 'm1', holderMasterKeyId: 'm2' })).thenThrows('INVALID_INPUT');
  });

  it('while pending, both master keys open the store and the keys stay wrapped under the old one', () => {
    const state = fold([...dataKeyRotated, started]);
    expect(acceptedMasterKeyIds(state)).toEqual(['m1', 'm2']);
    expect(state).toMatchObject({ masterKeyId: 'm1', pendingMasterRotation: { rotationId: 'mr1', masterKeyId: 'm2', mode: 'swap' } });
    expect(state.dataKeys.get('k1')).toMatchObject({ wrappedKey: 'w1', masterKeyId: 'm1' });
  });

  it('completes only once the master key file holds the new key', () => {
    spec.given([...dataKeyRotated, started]).when({ kind: 'complete', installedMasterKeyId: 'm1', file: 'f' }).thenThrows('INVALID_INPUT');
    spec.given([...dataKeyRotated, started]).when({ kind: 'complete', installedMasterKeyId: null, file: 'f' }).thenThrows('INVALID_INPUT');
    spec.given([...dataKeyRotated, started]).when({ kind: 'complete', installedMasterKeyId: 'm2', file: 'f' }).then([completed]);
  });

  it('after completion every key, the retired one included, is wrapped under the new master key', () => {
    const state = fold([...dataKeyRotated, started, completed]);
    expect(acceptedMasterKeyIds(state)).toEqual(['m2']);
    expect(state).toMatchObject({ masterKeyId: 'm2', pendingMasterRotation: null, auditKey: { wrappedKey: 'wa-m2', masterKeyId: 'm2' } });
    expect(state.dataKeys.get('k1')).toMatchObject({ wrappedKey: 'w1-m2', masterKeyId: 'm2' });
    expect(state.dataKeys.get('k2')).toMatchObject({ wrappedKey: 'w2-m2', masterKeyId: 'm2' });
    expect(state.masterRotations).toEqual([
      expect.objectContaining({ rotationId: 'mr1', completedAt: expect.any(String), cancelledAt: null, startedBy: 'tester' }),
    ]);
  });

  it('completing a completed rotation again appends nothing (start-up and the rotating process may both try)', () => {
    spec.given([...dataKeyRotated, started, completed]).when({ kind: 'complete', rotationId: 'mr1', installedMasterKeyId: 'm2', file: 'f' }).then([]);
    spec.given([...dataKeyRotated, started, completed]).when({ kind: 'complete', installedMasterKeyId: 'm2', file: 'f' }).thenThrows('INVALID_INPUT');
    // Even when another rotation has started since (another process finished this one at its start-up).
    const next: KeyEvent = { type: 'MasterKeyRotationStarted', data: { rotationId: 'mr2', previousMasterKeyId: 'm2', masterKeyId: 'm3', mode: 'swap', rewrapped } };
    spec.given([...dataKeyRotated, started, completed, next]).when({ kind: 'complete', rotationId: 'mr1', installedMasterKeyId: 'm3', file: 'f' }).then([]);
    spec.given([...dataKeyRotated, started, completed, next]).when({ kind: 'complete', rotationId: 'other', installedMasterKeyId: 'm3', file: 'f' }).thenThrows('ROTATION_IN_PROGRESS');
  });

  it('completing a rotation that was cancelled meanwhile is refused as a concurrent change', () => {
    spec.given([...dataKeyRotated, started, cancelled]).when({ kind: 'complete', rotationId: 'mr1', installedMasterKeyId: 'm2', file: 'f' }).thenThrows('ROTATION_IN_PROGRESS');
  });

  it('cancels while the old key is in place; refuses once the new key is', () => {
    spec.given([...dataKeyRotated, started]).when({ kind: 'cancel', installedMasterKeyId: 'm2', file: 'f' }).thenThrows('INVALID_INPUT');
    spec.given([...dataKeyRotated, started]).when({ kind: 'cancel', installedMasterKeyId: 'm1', file: 'f' }).then([cancelled]);
    spec.given([...dataKeyRotated, started]).when({ kind: 'cancel', installedMasterKeyId: null, file: 'f' }).then([cancelled]);
    spec.given(dataKeyRotated).when({ kind: 'cancel', installedMasterKeyId: 'm1', file: 'f' }).thenThrows('INVALID_INPUT');
  });

  it('after a cancel the old key alone opens the store, wraps unchanged, and a new rotation may start', () => {
    const state = fold([...dataKeyRotated, started, cancelled]);
    expect(acceptedMasterKeyIds(state)).toEqual(['m1']);
    expect(state.dataKeys.get('k1')).toMatchObject({ wrappedKey: 'w1', masterKeyId: 'm1' });
    spec.given([...dataKeyRotated, started, cancelled]).when(start({ rotationId: 'mr2', masterKeyId: 'm3' })).then([
      { type: 'MasterKeyRotationStarted', data: { rotationId: 'mr2', previousMasterKeyId: 'm1', masterKeyId: 'm3', mode: 'swap', rewrapped } },
    ]);
  });

  it('folds a legacy one-shot MasterKeyRotated: live keys rewrapped, the retired one left under the old key', () => {
    const legacy: KeyEvent = {
      type: 'MasterKeyRotated',
      data: { previousMasterKeyId: 'm1', masterKeyId: 'm2', rewrapped: [rewrapped[0]!, rewrapped[2]!] },
    };
    const state = fold([...dataKeyRotated, legacy]);
    expect(state.masterKeyId).toBe('m2');
    expect(state.dataKeys.get('k1')).toMatchObject({ wrappedKey: 'w1', masterKeyId: 'm1' });
    expect(state.dataKeys.get('k2')).toMatchObject({ wrappedKey: 'w2-m2', masterKeyId: 'm2' });
    expect(state.masterRotations).toEqual([expect.objectContaining({ previousMasterKeyId: 'm1', masterKeyId: 'm2', completedAt: expect.any(String) })]);
    // A process holding k1 through the former master key rewraps it at the next rotation; without it, k1 is not required.
    expect(keysToRewrap(state, new Set(['k1', 'k2'])).sort()).toEqual(['k1', 'k2']);
    expect(keysToRewrap(state, new Set(['k2']))).toEqual(['k2']);
  });
});
