import { replayedAction } from '../../src/compliance/domain/replay-actions.js';
import { exportedForm, publicLink, PUBLIC_GENESIS } from '../../src/compliance/public-chain.js';
import { TimeIndex } from '../../src/compliance/time-index.js';
import type { RecordedEvent } from '../../src/event-store/event-store.port.js';

/** The pure parts of compliance: the time index, the exported form and public link, the replay mapping. */
describe('TimeIndex', () => {
  it('finds the last change at or before a time, and keeps a running maximum when clocks disagree', () => {
    const index = new TimeIndex();
    index.record(1, '2026-01-01T00:00:00Z');
    index.record(2, '2026-01-02T00:00:00Z');
    index.record(3, '2026-01-01T12:00:00Z'); // a process whose clock is behind
    index.record(4, '2026-01-03T00:00:00Z');
    expect(index.positionAt(Date.parse('2025-12-31T00:00:00Z'))).toEqual({ position: 0, occurredAt: null });
    expect(index.positionAt(Date.parse('2026-01-01T18:00:00Z')).position).toBe(1);
    // Position 3 counts as happening at the latest time seen before it (day 2), so day 2 includes it.
    expect(index.positionAt(Date.parse('2026-01-02T00:00:00Z'))).toEqual({ position: 3, occurredAt: '2026-01-02T00:00:00.000Z' });
    expect(index.positionAt(Date.parse('2027-01-01T00:00:00Z')).position).toBe(4);
    expect(index.size).toBe(3);
  });

  it('grows past its first allocation', () => {
    const index = new TimeIndex();
    const base = Date.parse('2026-01-01T00:00:00Z');
    for (let p = 1; p <= 5000; p++) index.record(p, new Date(base + p * 1000).toISOString());
    expect(index.positionAt(base + 2500 * 1000 + 500).position).toBe(2500);
  });
});

describe('the exported form and the public chain', () => {
  const event = (data: Record<string, unknown>): RecordedEvent => ({
    type: 'SecretStored',
    schemaVersion: 1,
    data,
    metadata: { actor: 'ops', interface: 'cli', correlationId: 'c', occurredAt: '2026-01-01T00:00:00.000Z' },
    stream: 'secret-x',
    revision: 0,
    position: 7,
    digest: 'd'.repeat(64),
    hash: 'h'.repeat(64),
  });

  it('withholds ciphertexts, keys and token digests at any depth, whatever their value', () => {
    const form = exportedForm(event({ secretId: 's', name: 'db', ciphertext: 'gAAAA', nested: { wrappedKey: 'k', rewrapped: [{ wrappedKey: 'k2' }] }, tokenHash: 'abc' }));
    expect(form.data).toEqual({ secretId: 's', name: 'db', ciphertext: 'withheld', nested: { wrappedKey: 'withheld', rewrapped: 'withheld' }, tokenHash: 'withheld' });
    expect(JSON.stringify(form)).not.toMatch(/gAAAA|"k"|abc/);
    expect(form).not.toHaveProperty('hash');
  });

  it('is unchanged by a redaction (ciphertext to null), and changed by anything else', () => {
    const before = publicLink(PUBLIC_GENESIS, exportedForm(event({ secretId: 's', ciphertext: 'gAAAA' })));
    expect(publicLink(PUBLIC_GENESIS, exportedForm(event({ secretId: 's', ciphertext: null })))).toBe(before);
    expect(publicLink(PUBLIC_GENESIS, exportedForm(event({ secretId: 't', ciphertext: 'gAAAA' })))).not.toBe(before);
    expect(publicLink('1'.repeat(64), exportedForm(event({ secretId: 's', ciphertext: 'gAAAA' })))).not.toBe(before);
    // The same form parsed back from a file links the same (the verifier's side).
    expect(publicLink(PUBLIC_GENESIS, JSON.parse(JSON.stringify(exportedForm(event({ secretId: 's', ciphertext: 'x' })))))).toBe(before);
  });
});

describe('replayedAction', () => {
  const names = (id: string) => (id === 'id1' ? { env: 'prod', name: 'db/password' } : undefined);

  it('maps reads, refusals, listings, changes and administration to the capability and resource of their use case', () => {
    expect(replayedAction('SecretAccessed', { secretId: 'id1', name: 'db/password', env: 'prod', version: 1 }, names)).toEqual({
      capability: 'read',
      resource: { env: 'prod', secret: 'db/password' },
      scope: 'exact',
      refused: false,
    });
    expect(replayedAction('AccessDenied', { capability: 'read', env: 'default', secret: 'x', reason: 'r' }, names)).toMatchObject({ refused: true, capability: 'read' });
    expect(replayedAction('SecretsListed', { env: 'prod' }, names)).toMatchObject({ capability: 'list', scope: 'any-in-env' });
    expect(replayedAction('SecretRotated', { secretId: 'id1', version: 2 }, names)).toMatchObject({ capability: 'rotate', resource: { env: 'prod', secret: 'db/password' } });
    expect(replayedAction('SecretVersionsDestroyed', { secretId: 'id1' }, names)).toMatchObject({ capability: 'admin' });
    expect(replayedAction('PolicySet', { name: 'p' }, names)).toMatchObject({ capability: 'admin', resource: { env: '*', secret: null } });
    expect(replayedAction('EnvironmentCreated', { env: 'prod' }, names)).toMatchObject({ capability: 'admin', resource: { env: 'prod', secret: null } });
    expect(replayedAction('AuditTrailRead', { env: 'prod', ref: 'id1' }, names)).toMatchObject({ capability: 'audit', resource: { env: 'prod', secret: 'db/password' } });
    // No decision of its own: counted as not re-decided by the caller.
    expect(replayedAction('AuthenticationFailed', {}, names)).toBeNull();
    expect(replayedAction('SecretUpdated', { secretId: 'unknown' }, names)).toBeNull();
  });
});
