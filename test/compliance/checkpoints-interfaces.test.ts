import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, assertBuilt, childEnv, cliIn, parseJson, runCli } from '../cli/run-cli.js';
import { startTestServer, type TestServer } from '../http/http-harness.js';
import { tempHome } from '../support/temp-home.js';

/**
 * The auditor's path end to end with real processes: the operator signs and exports; the auditor,
 * in another home with no master key and no store, verifies with the public key alone (exit 0, then
 * exit 7 once a line is edited). HTTP: POST /v1/audit/checkpoints and the streamed GET /v1/audit/export.
 */
describe('checkpoints and exports from the CLI', () => {
  const { home, cleanup } = tempHome('cli-cp');
  const auditor = tempHome('auditor');
  const { run } = cliIn(home);
  beforeAll(async () => {
    assertBuilt();
    expect((await run(['init'])).code).toBe(0);
  });
  afterAll(() => {
    cleanup();
    auditor.cleanup();
  });

  it('signs, exports, and an auditor without the master key verifies the export; an edited export fails with exit 7', async () => {
    expect((await run(['add-secret', 'db/password'], { input: 'plain-value' })).code).toBe(0);
    const kept = join(auditor.home, 'kept');
    const signed = parseJson<{ signed: boolean; checkpoint: { sequence: number } }>(await run(['audit', 'sign', '--out', kept, '--json']));
    expect(signed).toMatchObject({ signed: true, checkpoint: { sequence: 1 } });
    // A directory that cannot take the file is refused before signing: no checkpoint is recorded behind an error.
    for (const bad of ['/etc/passwd/x', '/proc/strongroom-nope']) {
      const refused = await run(['audit', 'sign', '--out', bad]);
      expect({ code: refused.code, stderr: refused.stderr }).toEqual({ code: 2, stderr: expect.stringContaining(`checkpoints cannot be written to ${bad}`) });
    }
    expect(parseJson<{ checkpoint: { sequence: number } }>(await run(['audit', 'sign', '--json'])).checkpoint.sequence).toBe(2);
    expect((await run(['add-secret', 'db/other'], { input: 'x' })).code).toBe(0);
    const pub = await run(['audit', 'public-key']);
    expect(pub.stdout).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    const keyFile = join(auditor.home, 'strongroom.pub');
    writeFileSync(keyFile, pub.stdout);
    const dir = join(auditor.home, 'export');
    const exported = await run(['audit', 'export', '--out', dir]);
    expect(exported.code).toBe(0);
    expect((await run(['audit', 'export', '--out', dir])).code).toBe(2); // not empty: nothing overwritten
    expect((await run(['audit', 'export', '--format', 'csv'])).code).toBe(2);
    // An unusable directory is refused before the export starts (no hang on /proc, no ENOENT trace).
    const proc = await run(['audit', 'export', '--out', '/proc/strongroom-nope']);
    expect({ code: proc.code, stderr: proc.stderr }).toEqual({ code: 2, stderr: expect.stringContaining('the export cannot be written to /proc/strongroom-nope') });
    // A regular file given as the directory: named, not a raw ENOTDIR from scandir.
    const file = await run(['audit', 'export', '--out', keyFile]);
    expect({ code: file.code, stderr: file.stderr }).toEqual({ code: 2, stderr: expect.stringContaining(`the export cannot be written to ${keyFile}: it is not a directory`) });

    // The auditor's machine: a home with nothing in it.
    const verified = await runCli(['--home', join(auditor.home, 'nothing-here'), 'audit', 'verify', '--export', dir, '--public-key', keyFile, '--checkpoints', kept]);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(/Export verified with key [0-9a-f]{16}: \d+ events/);

    const lines = readFileSync(join(dir, 'events.jsonl'), 'utf8').split('\n');
    lines[3] = (lines[3] as string).replace(/"occurredAt":"[^"]*"/, '"occurredAt":"1999-01-01T00:00:00.000Z"');
    writeFileSync(join(dir, 'events.jsonl'), lines.join('\n'));
    const failed = await runCli(['--home', join(auditor.home, 'nothing-here'), 'audit', 'verify', '--export', dir, '--public-key', keyFile]);
    expect(failed.code).toBe(7);
    expect(failed.stderr).toMatch(/modified/);
    expect((await runCli(['audit', 'verify', '--export', dir])).code).toBe(2);
  });

  it('--follow streams events committed after it started', async () => {
    const child = spawn(process.execPath, [BIN, '--home', home, 'audit', 'export', '--follow'], { env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    try {
      const waitFor = async (pattern: RegExp): Promise<void> => {
        const deadline = Date.now() + 60_000;
        while (!pattern.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
        expect(out).toMatch(pattern);
      };
      await waitFor(/AuditTrailRead/);
      expect((await run(['add-secret', 'db/followed'], { input: 'v' })).code).toBe(0);
      await waitFor(/"name":"db\/followed"/);
      expect(out).not.toContain('"v"');
    } finally {
      child.kill('SIGTERM');
    }
  });
});

describe('checkpoints and exports over HTTP', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ STRONGROOM_LIFECYCLE_INTERVAL_MS: '0' });
  });
  afterAll(() => server.stop());

  it('POST /v1/audit/checkpoints signs; GET /v1/audit/export streams JSON lines; other principals need audit', async () => {
    const { client } = server;
    expect((await client.post('/v1/envs/default/secrets', { name: 'db/password', value: 'plain-value' })).status).toBe(201);
    const signed = await client.post('/v1/audit/checkpoints', {});
    expect(signed.status).toBe(201);
    expect(signed.json).toMatchObject({ signed: true, checkpoint: { sequence: 1 } });
    expect((await client.post('/v1/audit/checkpoints', { out: '/tmp/x' })).status).toBe(400);
    const exported = await client.get('/v1/audit/export');
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toMatch(/application\/x-ndjson/);
    const lines = exported.text.trimEnd().split('\n').map((l) => JSON.parse(l) as { format?: string; type?: string });
    expect(lines[0]).toMatchObject({ format: 'strongroom-audit-export', from: 0 });
    expect(lines.some((l) => l.type === 'AuditCheckpointSigned')).toBe(true);
    expect(exported.text).not.toContain('plain-value');
    const from = (signed.json.checkpoint as { position: number }).position;
    expect((await client.get(`/v1/audit/export?from=${from}`)).status).toBe(200);
    // Any position up to the head (a SIEM resuming); past the head is refused.
    const resumed = await client.get(`/v1/audit/export?from=${from + 1}`);
    expect(resumed.status).toBe(200);
    expect((await client.get('/v1/audit/export?from=999999999')).status).toBe(400);

    await client.put('/v1/policies/reader', { document: { rules: [{ allow: ['read'], secrets: ['**'], environments: ['*'] }] } });
    const reader = await client.post('/v1/tokens', { principal: 'reader', policies: ['reader'] });
    const asReader = client.as(reader.json.token as string);
    expect((await asReader.get('/v1/audit/export')).status).toBe(403);
    expect((await asReader.post('/v1/audit/checkpoints', {})).status).toBe(403);
  });
});
