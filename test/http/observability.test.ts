import { randomUUID } from 'node:crypto';
import { growLog } from '../support/large-log.js';
import { tempHome } from '../support/temp-home.js';
import { SecretManager } from '../../src/index.js';
import { createLogger } from '../../src/shared/logger.js';
import type { TestServer } from './http-harness.js';
import { serveHome, startTestServer } from './http-harness.js';

/** What operators watch: metrics scraped from a live server, readiness, the access log, rate limiting, shutdown. */
const VALUE = `metrics-value-${randomUUID()}`;

const sample = (text: string, name: string, labels: Record<string, string> = {}): number => {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text
    .split('\n')
    .find((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `) ? want.every((w) => l.includes(w)) : false);
  return line === undefined ? Number.NaN : Number(line.slice(line.lastIndexOf(' ') + 1));
};

describe('metrics, readiness and the access log', () => {
  let t: TestServer;
  let now = Date.parse('2026-12-01T00:00:00Z');
  beforeAll(async () => (t = await startTestServer({ STRONGROOM_AUTH_FAILURES_PER_MINUTE: '5' }, { now: () => new Date(now) })));
  afterAll(() => t.stop());

  it('counts requests by route template, commits, denials and failed authentications, never naming a secret', async () => {
    const api = t.client;
    expect((await api.post('/v1/secrets', { name: 'team-a/db-password', value: VALUE })).status).toBe(201);
    expect((await api.get('/v1/secrets/team-a/db-password')).status).toBe(200);
    await api.put('/v1/policies/nothing-much', { document: { rules: [{ allow: ['list'], environments: ['dev'] }] } });
    const weak = api.as((await api.post('/v1/tokens', { principal: 'weak', policies: ['nothing-much'] })).json.token);
    expect((await weak.get('/v1/secrets/team-a/db-password')).status).toBe(403);
    expect((await api.as(`srt_${'0'.repeat(16)}_${'x'.repeat(43)}`).get('/v1/secrets')).status).toBe(401);

    expect((await weak.get('/metrics')).status).toBe(403);
    expect((await api.get('/metrics', { token: null })).status).toBe(401);
    const scrape = await api.get('/metrics');
    expect(scrape.status).toBe(200);
    expect(scrape.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = scrape.text;
    expect(sample(text, 'strongroom_http_requests_total', { method: 'GET', route: '/v1/secrets/:ref', status: '200' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'strongroom_http_requests_total', { route: '/v1/secrets', status: '201' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'strongroom_access_denied_total', { capability: 'read', env: 'default' })).toBe(1);
    expect(sample(text, 'strongroom_authentication_failures_total', { interface: 'http', reason: 'unknown' })).toBe(1);
    expect(sample(text, 'strongroom_events_total', { type: 'SecretAccessed' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'strongroom_commit_events_count')).toBeGreaterThan(0);
    expect(sample(text, 'strongroom_append_duration_seconds_count', { outcome: 'ok' })).toBeGreaterThan(0);
    expect(sample(text, 'strongroom_projection_lag_events')).toBe(0);
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
    // No secret's name, value or token in any label or line.
    for (const secret of ['team-a', 'db-password', VALUE, api.token]) expect(text).not.toContain(secret);
  });

  it('readiness: ready, without a log position', async () => {
    const res = await t.client.get('/readyz', { token: null });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ status: 'ready', checks: { store: 'ok', keys: 'ok', projection: 'ok', checkpoints: 'off' } });
    expect((await t.client.get('/healthz', { token: null })).json).toEqual({ status: 'ok' });
  });

  it('one access-log line per request: route template, status, duration, principal, correlation id; never a value or a token', async () => {
    const requestId = `log-check-${randomUUID()}`;
    await t.client.get('/v1/secrets/team-a/db-password', { headers: { 'x-request-id': requestId } });
    const lines = t.logs.map((l) => JSON.parse(l) as { msg: string; http?: Record<string, unknown> }).filter((l) => l.msg === 'request');
    const mine = lines.find((l) => l.http?.correlationId === requestId);
    expect(mine?.http).toEqual({
      method: 'GET',
      route: '/v1/secrets/:ref',
      status: 200,
      durationMs: expect.any(Number),
      correlationId: requestId,
      client: '127.0.0.1',
      principal: 'root',
      tokenId: t.client.token.split('_')[1],
    });
    const all = t.logs.join('\n');
    for (const secret of ['db-password', VALUE, t.client.token]) expect(all).not.toContain(secret);
  });

  it('a stream of wrong tokens from one address is slowed: 429 with Retry-After, counted, and it lifts when the window ends', async () => {
    // The first test already spent two failures (an unknown token, a missing one); the limit is 5 a minute.
    const bad = t.client.as(`srt_${'1'.repeat(16)}_${'y'.repeat(43)}`);
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await bad.get('/v1/secrets')).status);
    expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
    expect(statuses.slice(3)).toEqual([429, 429, 429, 429, 429]);
    const limited = await t.client.get('/v1/secrets');
    expect(limited.status).toBe(429);
    expect(limited.json.error.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    now += 2 * 60_000;
    expect((await t.client.get('/v1/secrets')).status).toBe(200);
    expect(sample((await t.client.get('/metrics')).text, 'strongroom_http_rate_limited_total')).toBe(6);
  });
});

describe('graceful shutdown', () => {
  it('finishes the requests in flight before the store closes: no 503 for a request that arrived in time', async () => {
    const { home, cleanup } = tempHome('shutdown');
    try {
      const m = await SecretManager.open({ home, initialise: true, logger: createLogger({ silent: true }) });
      await m.close();
      await growLog(home, 30_000);
      const server = await serveHome(home);
      const arrived = new Promise((resolve) => server.server.app.getHttpServer().once('request', resolve));
      const verifying = server.client.get('/v1/audit/verify');
      // The request has arrived and its verification is under way (it yields as it goes) when the server closes.
      await arrived;
      await new Promise((resolve) => setImmediate(resolve));
      const closing = server.stop();
      const answer = await verifying;
      await closing;
      expect(answer.status).toBe(200);
      expect(answer.json).toMatchObject({ ok: true });
    } finally {
      cleanup();
    }
  });
});

describe('behind a proxy (STRONGROOM_TRUST_PROXY)', () => {
  it('limits and logs the forwarded client address, so one noisy client does not lock out the rest', async () => {
    const t = await startTestServer({ STRONGROOM_AUTH_FAILURES_PER_MINUTE: '2', STRONGROOM_TRUST_PROXY: '127.0.0.1' });
    try {
      const bad = t.client.as(`srt_${'2'.repeat(16)}_${'z'.repeat(43)}`);
      const from = (address: string) => ({ headers: { 'x-forwarded-for': address } });
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await bad.get('/v1/secrets', from('203.0.113.5'))).status);
      expect(statuses).toEqual([401, 401, 429]);
      expect((await t.client.get('/v1/secrets', from('203.0.113.6'))).status).toBe(200);
      expect((await t.client.get('/v1/secrets', from('203.0.113.5'))).status).toBe(429);
      const clients = t.logs.map((l) => JSON.parse(l) as { http?: { client?: string } }).flatMap((l) => (l.http?.client ? [l.http.client] : []));
      expect(new Set(clients)).toEqual(new Set(['203.0.113.5', '203.0.113.6']));
    } finally {
      await t.stop();
    }
  });
});
