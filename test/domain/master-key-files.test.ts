import type { KeyEvent } from '../../src/keys/domain/key-events.js';
import { evolveKeyring, initialKeyring, type KeyringEvent, type KeyringState } from '../../src/keys/domain/keyring-state.js';
import { planMasterKeyFile, type KeyFileSeen } from '../../src/keys/domain/master-key-files.js';

/** What start-up does with every file state a crash, an older Strongroom or an operator can leave. */
const F = '/keys/master.key';
const fold = (events: KeyEvent[]): KeyringState =>
  events.reduce(
    (s, e) => evolveKeyring(s, { ...e, revision: s.revision + 1, metadata: { occurredAt: `2026-11-24T00:00:0${s.revision + 1}.000Z`, actor: 'tester' } } as KeyringEvent),
    initialKeyring(),
  );
const init: KeyEvent[] = [
  { type: 'AuditKeyCreated', data: { keyId: 'audit', wrappedKey: 'wa', masterKeyId: 'C' } },
  { type: 'DataKeyCreated', data: { keyId: 'k1', wrappedKey: 'w1', masterKeyId: 'C' } },
];
const started = (mode: 'swap' | 'prepared'): KeyEvent => ({
  type: 'MasterKeyRotationStarted',
  data: { rotationId: 'r', previousMasterKeyId: 'C', masterKeyId: 'N', mode, rewrapped: [] },
});
const completed: KeyEvent = { type: 'MasterKeyRotationCompleted', data: { rotationId: 'r', previousMasterKeyId: 'C', masterKeyId: 'N' } };
const cancelled: KeyEvent = { type: 'MasterKeyRotationCancelled', data: { rotationId: 'r', masterKeyId: 'N' } };
const next: KeyFileSeen = { path: `${F}.next-N`, keyId: 'N' };
const previousC: KeyFileSeen = { path: `${F}.previous-C`, keyId: 'C' };
const plan = (events: KeyEvent[], fileKeyId: string | null, beside: KeyFileSeen[] = []) => planMasterKeyFile({ file: F, fileKeyId, beside }, fold(events));

describe('start-up plan for the master key file', () => {
  it('uses the file when it holds the key the log expects', () => {
    expect(plan(init, 'C')).toEqual({ kind: 'use-file', keyId: 'C' });
    expect(plan([...init, started('swap'), completed], 'N', [previousC])).toEqual({ kind: 'use-file', keyId: 'N' });
  });

  it('finishes an interrupted one-step swap (killed after the start event, or between keeping and renaming)', () => {
    expect(plan([...init, started('swap')], 'C', [next, previousC])).toEqual({
      kind: 'install',
      from: next,
      keep: `${F}.previous-C`,
      ifImpossible: 'use-file',
      why: 'finishing master-key rotation r',
    });
  });

  it('with the swap done but not yet recorded as complete, uses the new key (start-up then records it)', () => {
    expect(plan([...init, started('swap')], 'N', [previousC])).toEqual({ kind: 'use-file', keyId: 'N' });
  });

  it('while a rotation is pending without its next file here (another machine), starts on the old key', () => {
    expect(plan([...init, started('swap')], 'C')).toEqual({ kind: 'use-file', keyId: 'C' });
  });

  it('for a prepared rotation, starts with either key in the file and installs nothing itself', () => {
    expect(plan([...init, started('prepared')], 'C', [{ path: `${F}.next-N`, keyId: 'N' }])).toEqual({ kind: 'use-file', keyId: 'C' });
    expect(plan([...init, started('prepared')], 'N')).toEqual({ kind: 'use-file', keyId: 'N' });
  });

  it('puts the expected key back when the file is missing (an older Strongroom killed between its two renames)', () => {
    const legacyNext = { path: `${F}.next`, keyId: 'N' };
    const legacy: KeyEvent = { type: 'MasterKeyRotated', data: { previousMasterKeyId: 'C', masterKeyId: 'N', rewrapped: [] } };
    expect(plan([...init, legacy], null, [legacyNext, previousC])).toMatchObject({ kind: 'install', from: legacyNext, keep: null, ifImpossible: 'use-from' });
  });

  it('when the file holds a key the log does not expect, installs the expected one and keeps the other', () => {
    // Cancelled after another process had swapped the new key in: the old key comes back from previous-C.
    expect(plan([...init, started('swap'), cancelled], 'N', [previousC])).toMatchObject({ kind: 'install', from: previousC, keep: `${F}.previous-N`, ifImpossible: 'use-from' });
    // A mounted file that cannot be replaced: use the expected key from beside it.
    const legacyNext = { path: `${F}.next`, keyId: 'N' };
    const legacy: KeyEvent = { type: 'MasterKeyRotated', data: { previousMasterKeyId: 'C', masterKeyId: 'N', rewrapped: [] } };
    expect(plan([...init, legacy], 'C', [legacyNext])).toMatchObject({ kind: 'install', from: legacyNext, keep: `${F}.previous-C`, ifImpossible: 'use-from' });
  });

  it('prefers the pending rotation’s new key when the file holds neither', () => {
    expect(plan([...init, started('swap')], null, [next, previousC])).toMatchObject({ kind: 'install', from: next });
  });

  it('explains what is expected and why the key found is wrong when nothing opens the store', () => {
    const replaced = plan([...init, started('swap'), completed], 'C');
    expect(replaced).toMatchObject({ kind: 'unavailable', details: { loadedMasterKeyId: 'C', expectedMasterKeyIds: ['N'] } });
    expect(replaced.kind === 'unavailable' && replaced.message).toMatch(/key id C.*replaced by key N in master-key rotation r.*expects key id N/);
    const abandoned = plan([...init, started('prepared'), cancelled], 'N');
    expect(abandoned.kind === 'unavailable' && abandoned.message).toMatch(/new key of master-key rotation r, which was cancelled/);
    const missing = plan([...init, started('prepared')], null);
    expect(missing.kind === 'unavailable' && missing.message).toMatch(/master key file \/keys\/master.key is missing.*C, or N/);
  });
});
