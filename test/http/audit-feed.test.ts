import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { auditFrame, resumePositionOf } from '../../src/interfaces/http/console/sse-frame.js';
import { startTestServer, type TestServer } from './http-harness.js';

/** An open GET /v1/audit/live: the events parsed so far, the raw text (to look for leaks), and a way to wait for more. */
interface Feed {
  readonly events: EventSourceMessage[];
  text: string;
  ended: boolean;
  waitFor(predicate: (events: readonly EventSourceMessage[]) => boolean): Promise<void>;
  close(): void;
}

const openFeed = async (url: string, token: string, headers: Record<string, string> = {}): Promise<Feed> => {
  const abort = new AbortController();
  const response = await fetch(`${url}/v1/audit/live`, { headers: { authorization: `Bearer ${token}`, ...headers }, signal: abort.signal });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  expect(response.headers.get('cache-control')).toBe('no-store');
  const feed: Feed = {
    events: [],
    text: '',
    ended: false,
    waitFor: async (predicate) => {
      const deadline = Date.now() + 30_000;
      while (!predicate(feed.events)) {
        if (Date.now() > deadline) throw new Error(`the feed did not deliver in time; it sent:\n${feed.text}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    close: () => abort.abort(),
  };
  const parser = createParser({ onEvent: (event) => feed.events.push(event) });
  void (async () => {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        const text = decoder.decode(chunk, { stream: true });
        feed.text += text;
        parser.feed(text);
      }
    } catch {
      // aborted by close()
    }
    feed.ended = true;
  })();
  return feed;
};

const audits = (events: readonly EventSourceMessage[]): { id: string | undefined; entry: { position: number; type: string; name?: string } }[] =>
  events.filter((e) => e.event === 'audit').map((e) => ({ id: e.id, entry: JSON.parse(e.data) as { position: number; type: string; name?: string } }));

describe('GET /v1/audit/live: the audit trail as server-sent events', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => t?.stop());

  it('streams new events as the audit trail describes them (ids are log positions, no values), from the head on', async () => {
    const feed = await openFeed(t.server.url, t.client.token);
    await feed.waitFor((events) => events.some((e) => e.event === 'position'));
    const stored = await t.client.post('/v1/envs/default/secrets', { name: 'feed/one', value: 'feed-secret-value-1' });
    expect(stored.status).toBe(201);
    expect((await t.client.get('/v1/envs/default/secrets/feed%2Fone')).status).toBe(200);
    await feed.waitFor((events) => audits(events).some((a) => a.entry.type === 'SecretAccessed'));
    const seen = audits(feed.events);
    expect(seen.map((a) => a.entry.type)).toEqual(expect.arrayContaining(['SecretStored', 'SecretAccessed']));
    for (const a of seen) expect(a.id).toBe(String(a.entry.position));
    // Positions only increase: nothing twice, nothing out of order.
    expect(seen.map((a) => a.entry.position)).toEqual([...seen.map((a) => a.entry.position)].sort((x, y) => x - y));
    expect(new Set(seen.map((a) => a.entry.position)).size).toBe(seen.length);
    expect(feed.text).not.toContain('feed-secret-value-1');
    expect(feed.text).not.toContain(t.client.token);
    expect(feed.text).not.toMatch(/ciphertext|wrappedKey/);
    feed.close();
  });

  it('resumes after Last-Event-ID with exactly the events after it', async () => {
    const feed = await openFeed(t.server.url, t.client.token);
    await feed.waitFor((events) => events.some((e) => e.event === 'position'));
    for (const name of ['feed/a', 'feed/b', 'feed/c']) expect((await t.client.post('/v1/envs/default/secrets', { name, value: 'x' })).status).toBe(201);
    await feed.waitFor((events) => audits(events).filter((a) => a.entry.name?.startsWith('feed/') && a.entry.type === 'SecretStored').length === 3);
    feed.close();
    const first = audits(feed.events).find((a) => a.entry.name === 'feed/a');
    const after = audits(feed.events).filter((a) => a.entry.position > (first?.entry.position ?? 0));
    const resumed = await openFeed(t.server.url, t.client.token, { 'last-event-id': String(first?.entry.position) });
    await resumed.waitFor((events) => audits(events).length >= after.length);
    // The opening read of the trail is recorded too, after these; the resumed stream starts exactly after feed/a.
    expect(audits(resumed.events).slice(0, after.length).map((a) => a.entry.position)).toEqual(after.map((a) => a.entry.position));
    resumed.close();
  });

  it('is refused (403, recorded) to a token that may not read the audit trail, to no token (401), and with a malformed query (400)', async () => {
    expect((await t.client.put('/v1/policies/reader', { document: { rules: [{ allow: ['list', 'read'] }] } })).status).toBe(200);
    const reader = (await t.client.post('/v1/tokens', { principal: 'feed-reader', policies: ['reader'] })).json.token as string;
    const refused = await fetch(`${t.server.url}/v1/audit/live`, { headers: { authorization: `Bearer ${reader}` } });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('ACCESS_DENIED');
    const trail = await t.client.get('/v1/audit?limit=10000');
    expect((trail.json.entries as { type: string; actor: string }[]).some((e) => e.type === 'AccessDenied' && e.actor === 'feed-reader')).toBe(true);
    expect((await fetch(`${t.server.url}/v1/audit/live`)).status).toBe(401);
    for (const query of ['?from=abc', '?from=-1', '?since=3']) {
      const bad = await fetch(`${t.server.url}/v1/audit/live${query}`, { headers: { authorization: `Bearer ${t.client.token}` } });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('INVALID_INPUT');
    }
  });

  it("ends the stream of a token once it is revoked", async () => {
    expect((await t.client.put('/v1/policies/auditor', { document: { rules: [{ allow: ['audit'] }] } })).status).toBe(200);
    const created = await t.client.post('/v1/tokens', { principal: 'feed-auditor', policies: ['auditor'] });
    const feed = await openFeed(t.server.url, created.json.token as string);
    await feed.waitFor((events) => events.some((e) => e.event === 'position'));
    expect((await t.client.delete(`/v1/tokens/${created.json.tokenId as string}`)).status).toBe(200);
    await feed.waitFor((events) => events.some((e) => e.event === 'end'));
    expect(JSON.parse(feed.events.find((e) => e.event === 'end')?.data ?? '{}')).toEqual({ reason: 'the token was revoked' });
    const deadline = Date.now() + 10_000;
    while (!feed.ended && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(feed.ended).toBe(true);
  });

  it('frames each event on one data line, whatever its fields hold, and reads only sane resume positions', () => {
    const frame = auditFrame({ position: 7, stream: 's', type: 'SecretStored', actor: 'a\nid: 99', interface: 'http', correlationId: 'c', occurredAt: 't', name: 'x\n\ndata: forged' });
    expect(frame.split('\n').filter((line) => line !== '')).toHaveLength(3);
    expect(frame.startsWith('id: 7\nevent: audit\ndata: {')).toBe(true);
    expect(resumePositionOf('42')).toBe(42);
    expect(resumePositionOf(['17'])).toBe(17);
    for (const bad of ['-1', '4.2', 'abc', '', '1234567890123456', undefined, 5]) expect(resumePositionOf(bad)).toBeUndefined();
  });
});
