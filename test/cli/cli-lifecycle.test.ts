import { tempHome } from '../support/temp-home.js';
import { assertBuilt, cliIn, parseJson } from './run-cli.js';

/**
 * The lifecycle verbs of the real `strongroom` executable on one real SQLite home: stages, metadata,
 * paged listings, recovery windows, destroy, rotation status and generated values. A handful of spawns
 * (each about half a second); the rules themselves are tested in process.
 */
describe('strongroom CLI: the life of a secret', () => {
  const { home, cleanup } = tempHome('cli-lifecycle');
  const { run } = cliIn(home);

  beforeAll(async () => {
    assertBuilt();
    expect((await run(['init'])).code).toBe(0);
  });
  afterAll(cleanup);

  it('stores with a generated value, tags, expiry and schedule; puts, promotes and cancels pending versions', async () => {
    const stored = parseJson<{ id: string }>(await run(['add-secret', 'svc/api', '--generate', '--length', '20', '--charset', 'hex', '--tag', 'team=pay', '--ttl', '90d', '--rotate-every', '30d', '--json']));
    expect(stored.id).toMatch(/^[0-9a-f]{32}$/);
    const first = (await run(['get-secret', 'svc/api'])).stdout;
    expect(first).toMatch(/^[0-9a-f]{20}$/);

    const pending = await run(['put-pending', 'svc/api', '--json'], { input: 'second-value' });
    expect(parseJson(pending)).toMatchObject({ version: 2 });
    expect((await run(['get-secret', 'svc/api', '--stage', 'pending'])).stdout).toBe('second-value');
    expect((await run(['promote', 'svc/api', '--version', '2'])).stdout).toMatch(/Version 2 of svc\/api is current; version 1 is previous/);
    expect((await run(['get-secret', 'svc/api', '--stage', 'previous'])).stdout).toBe(first);

    expect((await run(['promote', 'svc/api', '--version', '1', '--stage', 'known-good'])).stdout).toMatch(/holds the stage known-good/);
    expect((await run(['unstage', 'svc/api', '--stage', 'known-good'])).stdout).toMatch(/Removed the stage known-good from version 1/);
    expect((await run(['put-pending', 'svc/api', '--generate'])).code).toBe(0);
    expect((await run(['cancel-pending', 'svc/api'])).stdout).toMatch(/Cancelled pending version 3/);
    const both = await run(['put-pending', 'svc/api', 'x', '--generate']);
    expect({ code: both.code, stderr: both.stderr }).toEqual({ code: 2, stderr: expect.stringContaining('INVALID_INPUT') });
  });

  it('changes metadata without a version, lists by tag with a cursor, deletes into a window and restores', async () => {
    expect((await run(['update-secret-metadata', 'svc/api', '--tag', 'team=ops', '--no-expiry'])).code).toBe(0);
    for (const name of ['svc/b', 'svc/c']) expect((await run(['add-secret', name, '--generate', '--tag', 'team=ops'])).code).toBe(0);
    const page = await run(['list-secrets', '--tag', 'team=ops', '--limit', '2', '--json']);
    const secrets = parseJson<{ name: string; version: number; expiresAt: string | null }[]>(page);
    expect(secrets.map((s) => s.name)).toEqual(['svc/api', 'svc/b']);
    expect(secrets[0]).toMatchObject({ version: 2, expiresAt: null });
    const cursor = /--cursor (\S+)/.exec(page.stderr)?.[1] as string;
    expect(parseJson<{ name: string }[]>(await run(['list-secrets', '--tag', 'team=ops', '--cursor', cursor, '--json'])).map((s) => s.name)).toEqual(['svc/c']);

    expect((await run(['delete-secret', 'svc/c', '--recovery-days', '3'])).stdout).toMatch(/restore-secret brings it back until/);
    const gone = await run(['get-secret', 'svc/c']);
    expect({ code: gone.code, stderr: gone.stderr }).toEqual({ code: 12, stderr: expect.stringContaining('SECRET_DELETED') });
    expect((await run(['restore-secret', 'svc/c'])).code).toBe(0);
    expect((await run(['get-secret', 'svc/c'])).code).toBe(0);
  });

  it('destroys an old version; rotation status lists the schedule; a generated rotation prints only with --show', async () => {
    const destroyed = parseJson<{ versions: number[]; redacted: number }>(await run(['destroy-secret', 'svc/api', '--version', '1', '--json']));
    expect(destroyed).toMatchObject({ versions: [1], redacted: 1 });
    const old = await run(['get-secret', 'svc/api', '--version', '1']);
    expect({ code: old.code, stderr: old.stderr }).toEqual({ code: 12, stderr: expect.stringContaining('VERSION_DESTROYED') });
    expect(parseJson<{ ok: boolean }>(await run(['audit', 'verify', '--json'])).ok).toBe(true);

    const status = parseJson<{ upcoming: { name: string; every: string }[] }>(await run(['rotation', 'status', '--json']));
    expect(status.upcoming).toEqual([expect.objectContaining({ name: 'svc/api', every: '30d' })]);

    const silent = await run(['rotate-secret', 'svc/b', '--generate']);
    expect(silent.stdout).toMatch(/^Rotated svc\/b to version 2 .*not shown/);
    const shown = await run(['rotate-secret', 'svc/b', '--generate', '--length', '12', '--charset', 'numeric', '--show']);
    expect(shown.stdout).toMatch(/^\d{12}$/);
    expect((await run(['get-secret', 'svc/b'])).stdout).toBe(shown.stdout);
  });
});
