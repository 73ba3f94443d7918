import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { SecretManager } from '../../src/index.js';
import { createLogger } from '../../src/shared/logger.js';
import { assertBuilt, cliIn, parseJson } from '../cli/run-cli.js';
import { codeOf } from '../support/code-of.js';
import { tempHome } from '../support/temp-home.js';
import type { ApiClient, TestServer } from './http-harness.js';
import { serveHome } from './http-harness.js';

/**
 * The faults users found (issue: values kept byte-exact, names that address one secret, writes that
 * land, limits on the value), each as it was reported, on one home served over HTTP while the CLI
 * works on the same file from other processes.
 */
// The shape of the report: a 4-line key file of 155 bytes, ending in a newline.
const PEM =
  '-----BEGIN OPENSSH PRIVATE KEY-----\n' +
  'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZ\n' +
  'QAAAAAAAAABAAAAMwAAAAtzc2gtZWQyNTUxOQAAACB\n' +
  '-----END OPENSSH PRIVATE KEY-----\n';
const MAX = 65_536;

/** A request whose path is sent exactly as written (no client-side dot-segment removal). */
const rawStatus = (method: string, path: string): Promise<number> =>
  new Promise((resolve, reject) => {
    const { hostname, port } = new URL(serverUrl);
    const req = request({ hostname, port, path, method, headers: { authorization: `Bearer ${serverToken}` } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
let serverUrl = '';
let serverToken = '';

describe('faults users found, on every interface', () => {
  const { home, cleanup } = tempHome('faults');
  const { run } = cliIn(home);
  let t: TestServer;
  let api: ApiClient;

  beforeAll(async () => {
    assertBuilt();
    expect((await run(['init'])).code).toBe(0);
    t = await serveHome(home);
    api = t.client;
    serverUrl = t.server.url;
    serverToken = api.token;
  });
  afterAll(async () => {
    await t.stop();
    cleanup();
  });

  describe('a value comes back exactly as it went in, or is refused', () => {
    it('a PEM key piped into add-secret keeps its final newline, read back over HTTP', async () => {
      expect(Buffer.byteLength(PEM)).toBe(155);
      expect((await run(['add-secret', 'ssh/deploy-key'], { input: PEM })).code).toBe(0);
      const res = await api.get('/v1/secrets/ssh/deploy-key');
      expect(res.json.value).toBe(PEM);
      expect(Buffer.byteLength(res.json.value)).toBe(155);
      expect((await run(['get-secret', 'ssh/deploy-key'])).stdout).toBe(PEM);
    });

    it('--value-file stores a file byte for byte; --binary keeps bytes that are not text', async () => {
      const der = Buffer.concat([Buffer.from([0x30, 0x82, 0xff, 0x00, 0xfe]), randomBytes(300)]);
      const file = join(home, 'cert.der');
      writeFileSync(file, der);
      const refused = await run(['add-secret', 'tls/cert', '--value-file', file]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/not valid UTF-8 text; pass --binary/);
      expect((await run(['add-secret', 'tls/cert', '--value-file', file, '--binary'])).code).toBe(0);
      const res = await api.get('/v1/secrets/tls/cert');
      expect(res.json).toMatchObject({ binary: true });
      expect(Buffer.from(res.json.valueBase64, 'base64').equals(der)).toBe(true);
      const json = parseJson<{ valueBase64: string }>(await run(['get-secret', 'tls/cert', '--json']));
      expect(Buffer.from(json.valueBase64, 'base64').equals(der)).toBe(true);
      // Any value can be asked for as base64, so scripts need not care which kind it is.
      expect(Buffer.from((await api.get('/v1/secrets/ssh/deploy-key?encoding=base64')).json.valueBase64, 'base64').toString()).toBe(PEM);
    });

    it('bytes go in over HTTP as valueBase64, and malformed base64 or a lone surrogate is refused', async () => {
      const bytes = randomBytes(64);
      expect((await api.post('/v1/secrets', { name: 'bin/http', valueBase64: bytes.toString('base64') })).status).toBe(201);
      expect(Buffer.from((await api.get('/v1/secrets/bin/http')).json.valueBase64, 'base64').equals(bytes)).toBe(true);
      expect((await api.post('/v1/secrets', { name: 'bin/bad', valueBase64: 'not base64!' })).json.error.code).toBe('INVALID_INPUT');
      expect((await api.post('/v1/secrets', { name: 'bin/both', value: 'x', valueBase64: 'eA==' })).json.error.code).toBe('INVALID_INPUT');
      const lone = await api.request('POST', '/v1/secrets', { rawBody: '{"name":"bin/lone","value":"a\\ud800b"}' });
      expect(lone.json.error).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/lone surrogate/) });
    });
  });

  describe('limits apply to the value, not to how a request encoded it', () => {
    it('32,768 U+0001 characters (196 KB of JSON escapes) are a 32 KB value and are stored', async () => {
      const value = '\u0001'.repeat(32_768);
      const res = await api.post('/v1/secrets', { name: 'limits/escaped', value });
      expect(res.status).toBe(201);
      expect((await api.get('/v1/secrets/limits/escaped')).json.value).toBe(value);
    });

    it('a value one byte over the limit is 413 VALUE_TOO_LARGE over HTTP, exit 9 in the CLI, VALUE_TOO_LARGE in the library', async () => {
      const res = await api.post('/v1/secrets', { name: 'limits/big', value: 'a'.repeat(MAX + 1) });
      expect(res.status).toBe(413);
      expect(res.json.error.code).toBe('VALUE_TOO_LARGE');
      const cli = await run(['add-secret', 'limits/big', '--json'], { input: 'a'.repeat(MAX + 1) });
      expect(cli.code).toBe(9);
      expect(parseJson<{ error: { code: string } }>(cli).error.code).toBe('VALUE_TOO_LARGE');
      const m = await SecretManager.open({ home, logger: createLogger({ silent: true }) });
      try {
        expect(await codeOf(m.storeSecret('limits/big', 'a'.repeat(MAX + 1)))).toBe('VALUE_TOO_LARGE');
        expect(await codeOf(m.storeSecret('limits/big', new Uint8Array(MAX + 1)))).toBe('VALUE_TOO_LARGE');
      } finally {
        await m.close();
      }
      // Exactly at the limit is fine everywhere.
      expect((await api.post('/v1/secrets', { name: 'limits/max', value: 'a'.repeat(MAX) })).status).toBe(201);
    });
  });

  describe('every accepted name is addressable, and no address reaches another secret', () => {
    it('team/../prod-db is refused everywhere, and no spelling of it reaches prod-db', async () => {
      expect((await api.post('/v1/secrets', { name: 'prod-db', value: 'the-real-one' })).status).toBe(201);
      const refused = await api.post('/v1/secrets', { name: 'team/../prod-db', value: 'x' });
      expect(refused.status).toBe(400);
      expect(refused.json.error.message).toMatch(/URLs collapse/);
      expect((await run(['add-secret', 'team/../prod-db', 'x'])).code).toBe(2);
      // Sent as written (curl --path-as-is; fetch would collapse them before sending), raw and encoded
      // dot segments reach the name check and are refused there, never read or delete prod-db.
      for (const path of ['/v1/secrets/team/../prod-db', '/v1/secrets/team/%2E%2E/prod-db', '/v1/secrets/team%2F..%2Fprod-db', '/v1/secrets/./prod-db']) {
        expect(await rawStatus('DELETE', path)).toBe(400);
        expect(await rawStatus('GET', path)).toBe(400);
      }
      expect((await api.get('/v1/secrets/prod-db')).json.value).toBe('the-real-one');
      expect((await api.get('/v1/secrets/a//b')).status).toBe(400);
    });

    it('${{ secrets.NAME }} references follow the same grammar; anything unresolvable is an error naming it', async () => {
      const m = await SecretManager.open({ home, logger: createLogger({ silent: true }) });
      try {
        expect(await m.resolveConfiguration({ url: 'pg://u:${{ Secrets . prod-db }}@h', again: '${{secrets.prod-db}}' })).toEqual({ url: 'pg://u:the-real-one@h', again: 'the-real-one' });
        await expect(m.resolveConfiguration({ x: '${{ secrets.team/../prod-db }}' })).rejects.toThrow('${{ secrets.team/../prod-db }}');
        await expect(m.resolveConfiguration({ x: '${{ env.HOME }}' })).rejects.toThrow('${{ env.HOME }}');
        await expect(m.resolveConfiguration({ x: '${{ secrets.nope }}' })).rejects.toMatchObject({ code: 'SECRET_NOT_FOUND' });
        await expect(m.resolveConfiguration({ x: 'pre ${{ secrets.prod-db' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      } finally {
        await m.close();
      }
    });
  });

  describe('a write that asks for no condition always lands', () => {
    it('25 parallel unconditional PUTs all land, each a new version; check-and-set still has one winner', async () => {
      expect((await api.post('/v1/secrets', { name: 'race/k', value: 'v0' })).status).toBe(201);
      const puts = await Promise.all(Array.from({ length: 25 }, (_, i) => api.put('/v1/secrets/race/k', { value: `v${i + 1}` })));
      expect(puts.map((r) => r.status)).toEqual(Array(25).fill(200));
      expect(new Set(puts.map((r) => r.json.version)).size).toBe(25);
      const cas = await Promise.all(Array.from({ length: 10 }, (_, i) => api.put('/v1/secrets/race/k', { value: `c${i}`, expectedVersion: 26 })));
      expect(cas.filter((r) => r.status === 200)).toHaveLength(1);
      expect(cas.filter((r) => r.status === 409).every((r) => r.json.error.code === 'VERSION_CONFLICT')).toBe(true);
    });

    it('unconditional writes from several processes at once all land too', async () => {
      const writers = await Promise.all(Array.from({ length: 6 }, (_, i) => run(['update-secret', 'race/k'], { input: `cli-${i}` })));
      expect(writers.map((w) => w.code)).toEqual(Array(6).fill(0));
    });
  });

  describe('processes sharing one store see each other before they answer', () => {
    it('right after the CLI rotates a secret, the server reads the new value and accepts its version', async () => {
      for (let i = 0; i < 8; i++) {
        const rotated = parseJson<{ version: number }>(await run(['rotate-secret', 'prod-db', '--json'], { input: `rotation-${i}` }));
        const read = await api.get('/v1/secrets/prod-db');
        expect(read.json).toMatchObject({ value: `rotation-${i}`, version: rotated.version });
      }
      const version = parseJson<{ version: number }>(await run(['rotate-secret', 'prod-db', '--json'], { input: 'last' })).version;
      const put = await api.put('/v1/secrets/prod-db', { value: 'after', expectedVersion: version });
      expect(put.status).toBe(200);
    });
  });

  describe('errors say what happened', () => {
    it('update-secret of a name that does not exist, with an empty stdin, is "not found"', async () => {
      const res = await run(['update-secret', 'no/such/name'], { input: '' });
      expect(res.code).toBe(3);
      expect(res.stderr).toMatch(/SECRET_NOT_FOUND/);
    });
  });
});
