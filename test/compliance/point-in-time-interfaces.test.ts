import { assertBuilt, cliIn, parseJson } from '../cli/run-cli.js';
import { startTestServer, type TestServer } from '../http/http-harness.js';
import { tempHome } from '../support/temp-home.js';

/** `strongroom state --at` and `get-secret --at` as real processes; GET /v1/state and `?at=` on a real server. */
describe('point in time from the CLI', () => {
  const { home, cleanup } = tempHome('cli-pit');
  const { run } = cliIn(home);
  beforeAll(async () => {
    assertBuilt();
    expect((await run(['init'])).code).toBe(0);
  });
  afterAll(cleanup);

  it('shows the state and reads the value as of a position; refuses a bad moment with exit 2', async () => {
    const stored = parseJson<{ position: number }>(await run(['add-secret', 'db/password', '--json'], { input: 'v1' }));
    expect((await run(['update-secret', 'db/password'], { input: 'v2' })).code).toBe(0);
    const state = parseJson<{ position: number; secrets: { name: string; version: number }[] }>(await run(['state', '--at', String(stored.position), '--json']));
    expect(state.position).toBe(stored.position);
    expect(state.secrets.map((s) => [s.name, s.version])).toEqual([['db/password', 1]]);
    const human = await run(['state', '--at', String(stored.position)]);
    expect(human.stdout).toMatch(/SECRETS[\s\S]*db\/password\s+1/);
    expect((await run(['get-secret', 'db/password', '--at', String(stored.position)])).stdout).toBe('v1');
    expect((await run(['get-secret', 'db/password'])).stdout).toBe('v2');
    const bad = await run(['state', '--at', 'tomorrow']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/ISO-8601/);
    expect((await run(['state'])).code).not.toBe(0);
  });
});

describe('point in time over HTTP', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ STRONGROOM_LIFECYCLE_INTERVAL_MS: '0' });
  });
  afterAll(() => server.stop());

  it('GET /v1/state?at= and GET a secret ?at=; a token without audit is refused', async () => {
    const { client } = server;
    const first = await client.post('/v1/envs/default/secrets', { name: 'db/password', value: 'v1' });
    expect(first.status).toBe(201);
    expect((await client.put('/v1/envs/default/secrets/db%2Fpassword', { value: 'v2' })).status).toBe(200);
    const at = first.json.position as number;
    const state = await client.get(`/v1/state?at=${at}`);
    expect(state.status).toBe(200);
    expect(state.json.secrets.map((s: { version: number }) => s.version)).toEqual([1]);
    const byTime = await client.get(`/v1/state?at=${encodeURIComponent(new Date().toISOString())}`);
    expect((await client.get(`/v1/state?at=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).json.error.code).toBe('INVALID_INPUT');
    expect(byTime.json.secrets.map((s: { version: number }) => s.version)).toEqual([2]);
    const past = await client.get(`/v1/envs/default/secrets/db%2Fpassword?at=${at}`);
    expect(past.json).toMatchObject({ value: 'v1', version: 1, asOf: at });
    expect((await client.get('/v1/state?at=next-week')).status).toBe(400);
    expect((await client.get('/v1/state')).status).toBe(400);

    expect((await client.put('/v1/policies/reader', { document: { rules: [{ allow: ['read'], secrets: ['**'], environments: ['*'] }] } })).status).toBeLessThan(300);
    const reader = await client.post('/v1/tokens', { principal: 'reader', policies: ['reader'] });
    const asReader = client.as(reader.json.token as string);
    expect((await asReader.get(`/v1/state?at=${at}`)).status).toBe(403);
    expect((await asReader.get(`/v1/envs/default/secrets/db%2Fpassword?at=${at}`)).json).toMatchObject({ value: 'v1' });
  });
});
