import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { createInbox, headers as natsHeaders, type NatsConnection } from '@nats-io/transport-node';
import type { TestServer } from '../http/http-harness.js';
import { busRequest, streamMessages, useBusServer, type BusAnswer } from './nats-harness.js';

/**
 * Faults a tester found at the bus edge, on the real NATS server with JetStream: payload bytes that are
 * not UTF-8 were stored as U+FFFD; a malformed idempotency key or min-position was dropped; a request's
 * reply subject (or a queued command's reply-to) could make the server publish into its own events
 * stream or JetStream's API. Each is refused and nothing is done.
 */
describe('bus edge: payloads, headers and reply subjects', () => {
  let server: TestServer;
  let nc: NatsConnection;
  let prefix: string;
  let auth: Record<string, string>;

  useBusServer((bus) => ({ server, nc, prefix, auth } = bus));

  const subject = (useCase: string): string => `${prefix}.default.cmd.${useCase}`;
  const withBadBytes = (json: string): Uint8Array => Buffer.concat(json.split('@@').flatMap((part, i) => (i === 0 ? [Buffer.from(part)] : [Buffer.from([0xff, 0xfe]), Buffer.from(part)])));
  const headersOf = (h: Record<string, string | string[]>) => {
    const out = natsHeaders();
    for (const [k, v] of Object.entries(h)) for (const one of [v].flat()) out.append(k, one);
    return out;
  };
  const requestBytes = async (useCase: string, data: Uint8Array, h: Record<string, string | string[]> = auth): Promise<BusAnswer> =>
    (await nc.request(subject(useCase), data, { timeout: 20_000, headers: headersOf(h) })).json<BusAnswer>();

  /** Sends a command to the durable queue and waits for its reply on an inbox. */
  const queued = async (useCase: string, data: Uint8Array, h: Record<string, string | string[]> = auth): Promise<BusAnswer> => {
    const inbox = createInbox();
    const sub = nc.subscribe(inbox, { max: 1 });
    await jetstream(nc).publish(`${prefix}.queue.default.cmd.${useCase}`, data, { headers: headersOf({ ...h, 'reply-to': inbox }) });
    for await (const m of sub) return m.json<BusAnswer>();
    throw new Error('no reply');
  };

  /** Waits until `done` holds; gives up (fails, saying `what`) after ~20 s so a broken server cannot hang the run. */
  const until = async (done: () => boolean | Promise<boolean>, what: string): Promise<void> => {
    for (let i = 0; !(await done()); i++) {
      if (i === 1000) throw new Error(`gave up waiting: ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const logLine = (text: string): Promise<void> => until(() => server.logs.some((l) => l.includes(text)), `a log line with ${text}`);

  it('refuses a payload that is not UTF-8, request-reply and queued, and stores nothing', async () => {
    const direct = await requestBytes('StoreSecret', withBadBytes('{"name":"bad/utf","value":"@@"}'));
    expect(direct.error).toEqual({ code: 'INVALID_INPUT', message: expect.stringContaining('not valid UTF-8') });
    const viaQueue = await queued('StoreSecret', withBadBytes('{"name":"bad/utf-q","value":"@@"}'));
    expect(viaQueue.error).toEqual({ code: 'INVALID_INPUT', message: expect.stringContaining('not valid UTF-8') });
    for (const ref of ['bad/utf', 'bad/utf-q']) expect((await busRequest(nc, subject('GetSecret'), { ref }, auth)).error?.code).toBe('SECRET_NOT_FOUND');

    // Valid UTF-8 is stored unchanged on both paths; a payload that is not JSON keeps its message.
    expect((await requestBytes('StoreSecret', Buffer.from('{"name":"good/utf","value":"é✓😀"}'))).error).toBeUndefined();
    expect((await queued('StoreSecret', Buffer.from('{"name":"good/utf-q","value":"é✓"}'))).error).toBeUndefined();
    expect((await busRequest(nc, subject('GetSecret'), { ref: 'good/utf' }, auth)).result.value).toBe('é✓😀');
    expect((await busRequest(nc, subject('GetSecret'), { ref: 'good/utf-q' }, auth)).result.value).toBe('é✓');
    expect((await requestBytes('StoreSecret', Buffer.from('{"name":'))).error).toEqual({ code: 'INVALID_INPUT', message: 'the message must be JSON' });
  });

  it('refuses a payload that gives a key twice, at any depth, request-reply and queued, naming the key and not its values', async () => {
    const message = 'the message gives the key "value" more than once: send each key once';
    const direct = await requestBytes('StoreSecret', Buffer.from('{"name":"dup/x","value":"first-value","value":"second-value"}'));
    expect(direct.error).toEqual({ code: 'INVALID_INPUT', message });
    const viaQueue = await queued('StoreSecret', Buffer.from('{"name":"dup/q","value":"first-value","value":"second-value"}'));
    expect(viaQueue.error).toEqual({ code: 'INVALID_INPUT', message });
    const nested = await requestBytes('StoreSecret', Buffer.from('{"name":"dup/n","value":"v","metadata":{"k":"a","k":"b"}}'));
    expect(nested.error).toEqual({ code: 'INVALID_INPUT', message: expect.stringContaining('"metadata.k"') });
    for (const ref of ['dup/x', 'dup/q', 'dup/n']) expect((await busRequest(nc, subject('GetSecret'), { ref }, auth)).error?.code).toBe('SECRET_NOT_FOUND');
  });

  it('refuses a malformed or repeated idempotency key, request-reply and queued, naming the rule', async () => {
    const payload = (name: string): Uint8Array => Buffer.from(JSON.stringify({ name, value: 'v' }));
    for (const key of ['k'.repeat(129), 'retry 1', 'é']) {
      const direct = await requestBytes('StoreSecret', payload('idem/bad'), { ...auth, 'idempotency-key': key });
      expect(direct.error).toEqual({ code: 'INVALID_INPUT', message: expect.stringContaining('1 to 128 printable ASCII characters') });
      const viaQueue = await queued('StoreSecret', payload('idem/bad-q'), { ...auth, 'idempotency-key': key });
      expect(viaQueue.error).toEqual({ code: 'INVALID_INPUT', message: expect.stringContaining('1 to 128 printable ASCII characters') });
    }
    const twice = await requestBytes('StoreSecret', payload('idem/bad'), { ...auth, 'idempotency-key': ['a-key', 'a-key'] });
    expect(twice.error).toEqual({ code: 'INVALID_INPUT', message: expect.stringContaining('more than once') });
    for (const ref of ['idem/bad', 'idem/bad-q']) expect((await busRequest(nc, subject('GetSecret'), { ref }, auth)).error?.code).toBe('SECRET_NOT_FOUND');

    // A valid key still acts once, on either path.
    const key = { ...auth, 'idempotency-key': 'k'.repeat(128) };
    const first = await requestBytes('StoreSecret', payload('idem/ok'), key);
    expect(await requestBytes('StoreSecret', payload('idem/ok'), key)).toEqual(first);
    expect(first.result).toMatchObject({ name: 'idem/ok', version: 1 });
  });

  it('refuses two authorization headers, even when one of them is good', async () => {
    const twice = await requestBytes('GetSecret', Buffer.from(JSON.stringify({ ref: 'idem/ok' })), { authorization: [auth.authorization as string, 'Bearer srt_other'] });
    expect(twice.error).toEqual({ code: 'UNAUTHENTICATED', message: expect.stringContaining('more than once') });
  });

  it('says a 6,000-character token is too long, with the limit, request-reply and queued, and never echoes it', async () => {
    const long = { authorization: `Bearer srt_${'a'.repeat(5996)}` };
    const message = expect.stringContaining('the token in the authorization header is too long (6000 characters; at most 512)');
    const direct = await requestBytes('ListSecrets', Buffer.from('{}'), long);
    expect(direct.error).toEqual({ code: 'UNAUTHENTICATED', message });
    expect(JSON.stringify(direct)).not.toContain('aaaaaaaaaa');
    expect((await queued('ListSecrets', Buffer.from('{}'), long)).error).toEqual({ code: 'UNAUTHENTICATED', message });
  });

  it('says what `at` takes when it is of no type it takes (an object), as HTTP does', async () => {
    const refused = await requestBytes('GetStateAt', Buffer.from('{"at":{"x":1}}'));
    expect(refused.error).toEqual({ code: 'INVALID_INPUT', message: 'at: at is a log position or an ISO-8601 time such as 2026-01-31T12:00:00Z' });
  });

  it('refuses a malformed strongroom-min-position rather than read stale; keeps a bad x-request-id lenient', async () => {
    const stale = await requestBytes('GetSecret', Buffer.from('{"ref":"good/utf"}'), { ...auth, 'strongroom-min-position': 'latest' });
    expect(stale.error).toEqual({ code: 'INVALID_INPUT', message: 'the strongroom-min-position header must be a log position: decimal digits (at most 15)' });
    expect((await requestBytes('GetSecret', Buffer.from('{"ref":"good/utf"}'), { ...auth, 'strongroom-min-position': ['1', '2'] })).error?.message).toContain('more than once');
    expect((await requestBytes('GetSecret', Buffer.from('{"ref":"good/utf"}'), { ...auth, 'strongroom-min-position': '1' })).result.value).toBe('é✓😀');
    expect((await requestBytes('GetSecret', Buffer.from('{"ref":"good/utf"}'), { ...auth, 'x-request-id': 'has space' })).result.value).toBe('é✓😀');
  });

  it('never publishes a reply into its events stream, its queue, its commands or JetStream’s API; the command does not run', async () => {
    const eventsStream = `${prefix.toUpperCase()}_EVENTS`;
    const jsm = await jetstreamManager(nc);
    const eventCount = async (): Promise<number> => (await jsm.streams.info(eventsStream)).state.messages;
    // Everything stored so far has reached the events stream (events are published asynchronously).
    const stored = (await server.server.strongroom.runtime.store.readAll({})).length;
    await until(async () => (await eventCount()) >= stored, 'the events stream holding every stored event');
    const before = await streamMessages(nc, prefix);

    const forbidden = [
      `${prefix}.default.events.SecretRotated`,
      `${prefix}._global.events.TokenCreated`,
      `${prefix}.queue.default.cmd.StoreSecret`,
      `${prefix}.default.cmd.StoreSecret`,
      `$JS.API.STREAM.PURGE.${eventsStream}`,
    ];
    for (const [i, reply] of forbidden.entries()) {
      // Without a token (the tester's case), and with one: a command that would act must not run either.
      nc.publish(subject('GetSecret'), '{"ref":"x"}', { reply });
      nc.publish(subject('StoreSecret'), JSON.stringify({ name: `reply/forged-${i}`, value: 'v' }), { reply, headers: headersOf(auth) });
      await logLine(`"replySubject":"${reply}"`);
    }
    // The queue's reply-to header is held to the same rule.
    const h = headersOf({ ...auth, 'reply-to': `${prefix}.default.events.SecretStored` });
    await jetstream(nc).publish(`${prefix}.queue.default.cmd.StoreSecret`, JSON.stringify({ name: 'reply/forged-q', value: 'v' }), { headers: h });
    await logLine('queued command refused');

    // A legitimate request after them all, so its reply proves the refused ones were handled first.
    expect((await busRequest(nc, subject('StoreSecret'), { name: 'reply/legit', value: 'v' }, auth)).result).toMatchObject({ version: 1 });
    const after = (await server.server.strongroom.runtime.store.readAll({})).length;
    // (A purge of the stream, which a reply to $JS.API.STREAM.PURGE did before the fix, fails here.)
    await until(async () => (await eventCount()) >= after, `the events stream holding ${after} events`);
    const messages = await streamMessages(nc, prefix);
    expect(messages.slice(0, before.length)).toEqual(before);
    expect(messages.filter((m) => m.text.includes('"error"'))).toEqual([]);
    expect(messages.length).toBe(before.length + (after - stored));

    const names = (await busRequest(nc, subject('ListSecrets'), {}, auth)).result.secrets.map((s: { name: string }) => s.name);
    expect(names.filter((n: string) => n.startsWith('reply/'))).toEqual(['reply/legit']);
    const refusals = server.logs.filter((l) => l.includes('refused: the reply subject'));
    expect(refusals.length).toBe(forbidden.length * 2 + 1);
    for (const line of refusals) {
      expect(line).not.toContain(server.client.token);
      expect(line).not.toContain('forged');
    }
  });
});
