import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { serveHome, startTestServer, type TestServer } from './http-harness.js';

/**
 * /readyz says whether a process that signs checkpoints by itself can: its signing key file loads and
 * is the key of the last recorded checkpoint. A replica given another key, or none, still serves
 * (status ready) but says `key unavailable`, so an operator sees it before an auditor does.
 */
describe('readiness reports the checkpoint signing key', () => {
  const SIGNS = { STRONGROOM_CHECKPOINT_EVERY_EVENTS: '1000' };
  let first: TestServer;
  let again: TestServer | null = null;

  beforeAll(async () => (first = await startTestServer(SIGNS)));
  afterEach(async () => {
    await again?.stop();
    again = null;
  });
  afterAll(() => first.stop());

  const readiness = async (t: TestServer): Promise<{ status: number; body: unknown }> => {
    const res = await t.client.get('/readyz', { token: null });
    return { status: res.status, body: res.json };
  };

  it('ok while the key is the one that signed, off for a process that signs only on demand', async () => {
    expect(await readiness(first)).toEqual({ status: 200, body: { status: 'ready', checks: { store: 'ok', keys: 'ok', projection: 'ok', checkpoints: 'ok' } } });
    expect((await first.client.post('/v1/audit/checkpoints', {})).status).toBe(201);
    await first.server.close();
    again = await serveHome(first.home, SIGNS);
    expect(await readiness(again)).toMatchObject({ status: 200, body: { checks: { checkpoints: 'ok' } } });
    await again.stop();
    again = await serveHome(first.home);
    expect(await readiness(again)).toMatchObject({ status: 200, body: { checks: { checkpoints: 'off' } } });
  });

  it('a key file deleted while the server runs is reported before the next restart fails', async () => {
    again = await serveHome(first.home, SIGNS);
    expect(await readiness(again)).toMatchObject({ body: { checks: { checkpoints: 'ok' } } });
    const file = first.options.checkpoints?.signingKeyFile ?? '';
    const kept = readFileSync(file);
    rmSync(file);
    try {
      expect(await readiness(again)).toMatchObject({ status: 200, body: { status: 'ready', checks: { checkpoints: 'key unavailable' } } });
    } finally {
      writeFileSync(file, kept, { mode: 0o600 });
    }
  });

  it('key unavailable when the file holds another key, or is missing, after a checkpoint was signed; still serving', async () => {
    const other = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    rmSync(first.options.checkpoints?.signingKeyFile ?? '');
    writeFileSync(first.options.checkpoints?.signingKeyFile ?? '', other, { mode: 0o600 });
    again = await serveHome(first.home, SIGNS);
    expect(await readiness(again)).toEqual({ status: 200, body: { status: 'ready', checks: { store: 'ok', keys: 'ok', projection: 'ok', checkpoints: 'key unavailable' } } });
    expect((await again.client.get('/v1/secrets')).status).toBe(200);
    // Said once at start-up too, not only by each failed signing.
    expect(again.logs.join('\n')).toMatch(/cannot sign checkpoints: its signing key is unavailable/);
    await again.stop();

    rmSync(first.options.checkpoints?.signingKeyFile ?? '');
    again = await serveHome(first.home, SIGNS);
    expect(await readiness(again)).toMatchObject({ status: 200, body: { checks: { checkpoints: 'key unavailable' } } });
  });
});
