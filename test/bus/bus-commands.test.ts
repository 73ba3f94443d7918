import type { NatsConnection } from '@nats-io/transport-node';
import type { TestServer } from '../http/http-harness.js';
import { busRequest, useBusServer } from './nats-harness.js';

/**
 * The bus as one more interface of the catalogue, on the real NATS server: a service stores a secret on
 * the bus and reads it over HTTP; the bus reply carries the HTTP API's codes; a command without a token,
 * with a bad one or with a denied one is refused and recorded; events of bus commands say `bus`.
 */
const SECRET = 'bus-secret-value-91c4e';

describe('commands on NATS', () => {
  let server: TestServer;
  let nc: NatsConnection;
  let prefix: string;
  let auth: Record<string, string>;

  useBusServer((bus) => ({ server, nc, prefix, auth } = bus));

  const subject = (env: string, useCase: string): string => `${prefix}.${env}.cmd.${useCase}`;

  it('stores on the bus, reads over HTTP; the events say interface bus', async () => {
    const stored = await busRequest(nc, subject('default', 'StoreSecret'), { name: 'bus/db', value: SECRET, metadata: { team: 'payments' } }, { ...auth, 'x-request-id': 'bus-req-1' });
    expect(stored.error).toBeUndefined();
    expect(stored.result).toMatchObject({ name: 'bus/db', version: 1, env: 'default' });
    const read = await server.client.get('/v1/secrets/bus/db', { headers: { 'x-strongroom-min-position': String(stored.result.position) } });
    expect(read.json).toMatchObject({ value: SECRET, version: 1 });

    const onBus = await busRequest(nc, subject('default', 'GetSecret'), { ref: 'bus/db' }, auth);
    expect(onBus.result).toMatchObject({ name: 'bus/db', value: SECRET, version: 1 });
    const bytes = Buffer.from([0, 255, 1, 254]);
    await busRequest(nc, subject('default', 'StoreSecret'), { name: 'bus/bytes', valueBase64: bytes.toString('base64') }, auth);
    const readBytes = await busRequest(nc, subject('default', 'GetSecret'), { ref: 'bus/bytes' }, auth);
    expect(readBytes.result).toMatchObject({ binary: true, valueBase64: bytes.toString('base64') });

    const events = await server.server.strongroom.runtime.store.readAll({});
    const created = events.find((e) => e.type === 'SecretStored' && (e.data as { name?: string }).name === 'bus/db');
    expect(created?.metadata).toMatchObject({ interface: 'bus', correlationId: 'bus-req-1' });
    expect(events.filter((e) => e.type === 'SecretAccessed' && e.metadata.interface === 'bus').length).toBeGreaterThanOrEqual(2);
  });

  it('offers every use case the HTTP API offers, in any environment the subject names', async () => {
    expect((await busRequest(nc, subject('bus-prod', 'CreateEnvironment'), {}, auth)).result).toMatchObject({ env: 'bus-prod' });
    expect((await busRequest(nc, subject('bus-prod', 'StoreSecret'), { name: 'payments/db', value: 'prod' }, auth)).result).toMatchObject({ env: 'bus-prod' });
    const listed = await busRequest(nc, subject('bus-prod', 'ListSecrets'), {}, auth);
    expect(listed.result.secrets.map((s: { name: string }) => s.name)).toEqual(['payments/db']);
    expect((await busRequest(nc, subject('bus-prod', 'ListEnvironments'), {}, auth)).result.map((e: { env: string }) => e.env)).toContain('bus-prod');
    const rotated = await busRequest(nc, subject('bus-prod', 'RotateSecret'), { ref: 'payments/db', generate: { length: 16 } }, auth);
    expect(rotated.result).toMatchObject({ version: 2 });
    expect((await busRequest(nc, subject('default', 'VerifyAuditLog'), {}, auth)).result).toMatchObject({ ok: true });
    const mismatch = await busRequest(nc, subject('bus-prod', 'ListSecrets'), { env: 'default' }, auth);
    expect(mismatch.error?.code).toBe('INVALID_INPUT');
  });

  it('answers the HTTP API’s codes, never quoting a value', async () => {
    await busRequest(nc, subject('default', 'StoreSecret'), { name: 'bus/dup', value: SECRET }, auth);
    const dup = await busRequest(nc, subject('default', 'StoreSecret'), { name: 'bus/dup', value: SECRET }, auth);
    expect(dup.error?.code).toBe('SECRET_NAME_CONFLICT');
    expect((await busRequest(nc, subject('default', 'GetSecret'), { ref: 'bus/none' }, auth)).error?.code).toBe('SECRET_NOT_FOUND');
    const badJson = await busRequest(nc, subject('default', 'StoreSecret'), `{"name":"bus/x","value":"${SECRET}"`, auth);
    expect(badJson.error).toEqual({ code: 'INVALID_INPUT', message: 'the message must be JSON' });
    const badField = await busRequest(nc, subject('default', 'StoreSecret'), { name: 'bus/y', value: SECRET, colour: 'red' }, auth);
    expect(badField.error?.code).toBe('INVALID_INPUT');
    for (const answer of [dup, badJson, badField]) expect(JSON.stringify(answer)).not.toContain(SECRET);
    // A name the catalogue lacks is UNKNOWN_OPERATION, not NATS's "no responders" (which reads as a server down).
    expect((await busRequest(nc, subject('default', 'StealSecrets'), { ref: 'bus/dup' }, auth)).error?.code).toBe('UNKNOWN_OPERATION');
  });

  it('refuses a command without a token, with a bad one or with a denied one, and records each', async () => {
    const none = await busRequest(nc, subject('default', 'ListSecrets'), {});
    expect(none.error?.code).toBe('UNAUTHENTICATED');
    // Well-formed, but not a token this store issued.
    const unknown = server.client.token.slice(0, -4) + (server.client.token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    const bad = await busRequest(nc, subject('default', 'ListSecrets'), {}, { authorization: `Bearer ${unknown}` });
    expect(bad.error?.code).toBe('UNAUTHENTICATED');
    const malformed = await busRequest(nc, subject('default', 'ListSecrets'), {}, { authorization: 'Basic abc' });
    expect(malformed.error?.code).toBe('UNAUTHENTICATED');

    await server.client.put('/v1/policies/bus-reader', { document: { rules: [{ allow: ['read', 'list'], secrets: ['bus/**'], environments: ['default'] }] } });
    const created = await busRequest(nc, subject('default', 'CreateToken'), { principal: 'bus-service', policies: ['bus-reader'] }, auth);
    const reader = { authorization: `Bearer ${created.result.token}` };
    expect((await busRequest(nc, subject('default', 'GetSecret'), { ref: 'bus/dup' }, reader)).result).toMatchObject({ value: SECRET });
    const denied = await busRequest(nc, subject('default', 'StoreSecret'), { name: 'bus/denied', value: SECRET }, reader);
    expect(denied.error?.code).toBe('ACCESS_DENIED');

    const events = await server.server.strongroom.runtime.store.readAll({});
    const failures = events.filter((e) => e.type === 'AuthenticationFailed' && (e.data as { interface?: string }).interface === 'bus');
    expect(failures.map((e) => (e.data as { reason: string }).reason).sort()).toEqual(expect.arrayContaining(['missing', 'malformed', 'unknown']));
    const denial = events.find((e) => e.type === 'AccessDenied' && e.metadata.actor === 'bus-service');
    expect(denial?.metadata.interface).toBe('bus');
    expect(JSON.stringify(events.map((e) => e.data))).not.toContain(created.result.token);
  });

  it('counts bus requests by use case and outcome, and the events it published, on /metrics', async () => {
    const stored = await busRequest(nc, subject('default', 'StoreSecret'), { name: 'bus/metered', value: SECRET }, auth);
    await busRequest(nc, subject('default', 'GetSecret'), { ref: 'bus/metered-none' }, auth);
    await server.server.bus?.events.waitForPublished(stored.result.position, 30_000);
    const scraped = await server.client.get('/metrics');
    const text = scraped.text;
    expect(text).toMatch(/strongroom_bus_messages_total\{use_case="StoreSecret",outcome="ok"\} [1-9]/);
    expect(text).toMatch(/strongroom_bus_messages_total\{use_case="GetSecret",outcome="SECRET_NOT_FOUND"\} [1-9]/);
    expect(text).toMatch(/strongroom_bus_message_duration_seconds_count\{use_case="StoreSecret"\} [1-9]/);
    expect(text).toMatch(/strongroom_bus_events_published_total [1-9]/);
    expect(text).not.toContain('bus/metered');
  });
});
