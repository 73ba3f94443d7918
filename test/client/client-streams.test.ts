import { deleteStreams, natsConnect, NATS_URL, uniquePrefix } from '../bus/nats-harness.js';
import { startTestServer, type TestServer } from '../http/http-harness.js';
import { StrongroomClient, type ReportProgress, type ReportRow } from '../../src/client/index.js';

/**
 * The SDK's streamed compliance queries on a real server: accessReport gives the same rows over HTTP
 * (the route's body read as it arrives) and over NATS (the bus's one reply), with the scan's range for
 * progress; exportAuditLog gives the export's lines, and a followed export delivers new events until
 * its signal aborts; refusals keep the server's codes.
 */
describe('StrongroomClient streamed queries', () => {
  let server: TestServer;
  let prefix: string;
  let http: StrongroomClient;
  let bus: StrongroomClient;

  const all = async <T>(items: AsyncIterable<T>): Promise<T[]> => {
    const out: T[] = [];
    for await (const item of items) out.push(item);
    return out;
  };

  beforeAll(async () => {
    prefix = uniquePrefix();
    server = await startTestServer({ STRONGROOM_NATS_URL: NATS_URL, STRONGROOM_NATS_PREFIX: prefix, STRONGROOM_LIFECYCLE_INTERVAL_MS: '0' });
    http = new StrongroomClient({ url: server.server.url, token: server.client.token });
    bus = await StrongroomClient.connect({ url: NATS_URL, token: server.client.token, prefix });
    await http.storeSecret('streams/a', 'value-a');
    await http.getSecretByName('streams/a');
    await bus.getSecretByName('streams/a');
  }, 60_000);

  afterAll(async () => {
    await http?.close();
    await bus?.close();
    await server?.stop();
    const nc = await natsConnect();
    await deleteStreams(nc, prefix);
    await nc.close();
  });

  it('accessReport: the same rows over HTTP and NATS, and the scan range for progress', async () => {
    const head = (await http.getAuditTrail({ limit: 10_000 })).reduce((max, e) => Math.max(max, e.position), 0);
    const seen: ReportProgress[] = [];
    const overHttp = await all(http.accessReport({ to: head }, { onProgress: (p) => seen.push(p) }));
    const overBus = await all(bus.accessReport({ to: head }));
    expect(overBus).toEqual(overHttp);
    const reads = overHttp.filter((r: ReportRow) => r.kind === 'read');
    expect(reads.map((r) => [r.secret, r.interface])).toEqual([
      ['streams/a', 'http'],
      ['streams/a', 'bus'],
    ]);
    expect(seen[0]).toMatchObject({ start: 0, reached: 0 });
    expect(seen.at(-1)?.reached).toBe(reads.at(-1)?.position);
    for (const p of seen) expect(p.reached).toBeLessThanOrEqual(p.head);
  }, 30_000);

  it('exportAuditLog: the header, then one line per event, the same over HTTP and NATS up to where the shorter ends', async () => {
    const overHttp = await all(http.exportAuditLog());
    const overBus = await all(bus.exportAuditLog());
    expect(JSON.parse(overHttp[0] ?? '{}')).toMatchObject({ format: 'strongroom-audit-export', from: 0 });
    // Each export records its own read, so the later one is longer by that.
    expect(overBus.slice(0, overHttp.length)).toEqual(overHttp);
    expect(overHttp.join('\n')).not.toContain('value-a');
    // An export anchored at a signed checkpoint starts after it.
    const { checkpoint } = (await http.call('SignCheckpoint', {}, 'command')) as { checkpoint: { position: number; publicHead: string } };
    const tail = await all(http.exportAuditLog({ from: checkpoint.position }));
    expect(JSON.parse(tail[0] ?? '{}')).toMatchObject({ from: checkpoint.position, publicHead: checkpoint.publicHead });
    expect(JSON.parse(tail[1] ?? '{}')).toMatchObject({ position: checkpoint.position + 1 });
  }, 30_000);

  it('a followed export delivers events committed later, and ends quietly when its signal aborts', async () => {
    const stop = new AbortController();
    const lines: string[] = [];
    const reading = (async () => {
      for await (const line of http.exportAuditLog({ follow: true, signal: stop.signal })) {
        lines.push(line);
        if (line.includes('"name":"streams/followed"')) stop.abort();
      }
    })();
    await http.storeSecret('streams/followed', 'value-followed');
    await reading;
    expect(lines.some((line) => line.includes('"name":"streams/followed"'))).toBe(true);
    expect(lines.join('\n')).not.toContain('value-followed');
    await expect(all(bus.exportAuditLog({ follow: true }))).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(http.call('ExportAuditLog', { follow: true })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  }, 30_000);

  it('getStateAt and signCheckpoint: typed, the same over HTTP and NATS', async () => {
    const signed = await http.signCheckpoint();
    expect(signed).toMatchObject({ signed: true, checkpoint: { sequence: expect.any(Number), keyId: expect.stringMatching(/^[0-9a-f]{16}$/) } });
    const position = signed.checkpoint?.position ?? 0;
    const [overHttp, overBus] = [await http.getStateAt(position), await bus.getStateAt(position)];
    expect(overBus).toEqual(overHttp);
    expect(overHttp.position).toBe(position);
    expect(overHttp.secrets.map((s) => s.name)).toContain('streams/a');
    expect(JSON.stringify(overHttp)).not.toContain('value-a');
    const bySigner = await bus.signCheckpoint();
    expect(bySigner.checkpoint?.previousSignature).toBe(signed.checkpoint?.signature);
    await expect(http.getStateAt('yesterday')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    // Replay: an honest log has no findings, the same over both; a what-if names what it would refuse.
    const replayed = [await http.replayPolicies(), await bus.replayPolicies()];
    for (const r of replayed) expect(r).toMatchObject({ findings: [], findingsTotal: 0 });
    expect((replayed[0]?.checked ?? 0) > 0).toBe(true);
    await http.setPolicy('streams-what-if', { rules: [{ allow: ['read'], secrets: ['streams/**'] }] });
    const whatIf = await http.replayPolicies({ against: { policy: 'streams-what-if', document: { rules: [{ allow: ['read'], secrets: ['other/**'] }] } } });
    expect(whatIf.whatIf).toMatchObject({ against: expect.any(String), warnings: [] });
    expect((await http.replayPolicies({ against: { policy: 'no-such-policy', document: { rules: [] } } })).whatIf?.warnings).toEqual([expect.stringContaining('policy "no-such-policy" is not in the log')]);
  }, 30_000);

  it('keeps the server’s refusals: no audit capability, a bad filter', async () => {
    await http.setPolicy('streams-read', { rules: [{ allow: ['read'], secrets: ['streams/**'] }] });
    const { token } = await http.createToken({ principal: 'streams-reader', policies: ['streams-read'] });
    const reader = new StrongroomClient({ url: server.server.url, token });
    await expect(all(reader.accessReport())).rejects.toMatchObject({ code: 'ACCESS_DENIED', status: 403 });
    await expect(all(reader.exportAuditLog())).rejects.toMatchObject({ code: 'ACCESS_DENIED' });
    await expect(all(http.accessReport({ from: 'yesterday' }))).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(all(bus.accessReport({ from: 'yesterday' }))).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  }, 30_000);
});
