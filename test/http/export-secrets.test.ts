import { randomUUID } from 'node:crypto';
import type { TestServer } from './http-harness.js';
import { startTestServer } from './http-harness.js';

/** ExportSecrets over HTTP: many audited reads at once, all or nothing. */
const DB = `db-${randomUUID()}`;
const TOKEN = `token-${randomUUID()}`;
const ADMIN = `admin-${randomUUID()}`;

interface Entry {
  type: string;
  actor: string;
  secret?: string;
  position: number;
}

describe('POST /v1/envs/:env/exports', () => {
  let t: TestServer;
  const trail = async (): Promise<Entry[]> => (await t.client.get('/v1/audit?limit=10000')).json.entries as Entry[];

  beforeAll(async () => {
    t = await startTestServer();
    expect((await t.client.post('/v1/envs', { env: 'prod' })).status).toBe(201);
    for (const [name, value] of [['app/db-url', DB], ['app/api-token', TOKEN], ['app/admin/password', ADMIN], ['other/thing', 'x']]) {
      expect((await t.client.post('/v1/envs/prod/secrets', { name, value })).status).toBe(201);
    }
    await t.client.post('/v1/envs/prod/secrets', { name: 'app/cert', valueBase64: Buffer.from([0, 255, 1]).toString('base64') });
  });
  afterAll(() => t.stop());

  it('returns every secret under the prefix, each read recorded before the values leave', async () => {
    const before = (await trail()).filter((e) => e.type === 'SecretAccessed').length;
    const res = await t.client.post('/v1/envs/prod/exports', { prefix: 'app/' });
    expect(res.status).toBe(200);
    expect(res.json.secrets.map((s: { name: string }) => s.name)).toEqual(['app/admin/password', 'app/api-token', 'app/cert', 'app/db-url']);
    expect(res.json.secrets.find((s: { name: string }) => s.name === 'app/db-url')).toMatchObject({ version: 1, value: DB });
    expect(res.json.secrets.find((s: { name: string }) => s.name === 'app/cert')).toMatchObject({ valueBase64: 'AP8B', binary: true });
    const accessed = (await trail()).filter((e) => e.type === 'SecretAccessed');
    expect(accessed.length - before).toBe(4);
    expect(Math.max(...accessed.map((e) => e.position))).toBe(res.json.accessPosition);
  });

  it('by names (or ids), sorted; an unknown name is 404 and nothing is read', async () => {
    const res = await t.client.post('/v1/envs/prod/exports', { names: ['app/db-url', 'other/thing'] });
    expect(res.json.secrets.map((s: { name: string; value: string }) => [s.name, s.value])).toEqual([['app/db-url', DB], ['other/thing', 'x']]);
    const before = (await trail()).length;
    const missing = await t.client.post('/v1/envs/prod/exports', { names: ['app/db-url', 'app/nope'] });
    expect(missing.status).toBe(404);
    expect((await trail()).slice(before).filter((e) => e.type === 'SecretAccessed')).toEqual([]);
  });

  it('bad input is refused with the field named', async () => {
    expect((await t.client.post('/v1/envs/prod/exports', { prefix: 'a', names: ['b'] })).json.error.message).toMatch(/prefix or a list of names, not both/);
    expect((await t.client.post('/v1/envs/prod/exports', { names: [] })).status).toBe(400);
    expect((await t.client.post('/v1/envs/prod/exports', { names: 'app/db-url' })).json.error.message).toMatch(/^names:/);
    expect((await t.client.post('/v1/envs/prod/exports', { prefix: 'app/', extra: 1 })).status).toBe(400);
  });

  it('all or nothing: one secret the caller may list but not read refuses the export, recorded as a denial', async () => {
    await t.client.put('/v1/policies/app-reader', {
      document: {
        rules: [
          { allow: ['read', 'list'], secrets: ['app/**'], environments: ['prod'] },
          { deny: ['read'], secrets: ['app/admin/**'] },
        ],
      },
    });
    const reader = t.client.as((await t.client.post('/v1/tokens', { principal: 'app-reader', policies: ['app-reader'] })).json.token);
    const before = (await trail()).length;
    const refused = await reader.post('/v1/envs/prod/exports', { prefix: 'app/' });
    expect(refused.status).toBe(403);
    expect(refused.text).not.toMatch(new RegExp(`${DB}|${TOKEN}|${ADMIN}`));
    const after = (await trail()).slice(before);
    expect(after.filter((e) => e.type === 'SecretAccessed')).toEqual([]);
    expect(after.filter((e) => e.type === 'AccessDenied' && e.actor === 'app-reader')).toHaveLength(1);
    // What it may not list, it is not asked about: other/ is outside its policy and simply not exported.
    const narrower = await reader.post('/v1/envs/prod/exports', { prefix: 'app/api' });
    expect(narrower.status).toBe(200);
    expect(narrower.json.secrets.map((s: { value: string }) => s.value)).toEqual([TOKEN]);
    const everything = await reader.post('/v1/envs/prod/exports', { names: ['other/thing'] });
    expect(everything.status).toBe(403);
  });
});
