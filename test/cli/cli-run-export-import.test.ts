import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fernetEncrypt, generateFernetKey, parseFernetKey } from '../../src/crypto/fernet.js';
import { SecretManager } from '../../src/index.js';
import { createLogger } from '../../src/shared/logger.js';
import { tempHome } from '../support/temp-home.js';
import { assertBuilt, BIN, childEnv, cliIn, parseJson } from './run-cli.js';

/**
 * Secrets into programs and between stores, end to end with real child processes: `run -- CMD`,
 * `export`, `import` (dotenv, JSON, a MUXI formation). Seeded through the library on the same home.
 */
const DB_URL = `postgres://app:${randomUUID()}@db/app`;
const API_TOKEN = `it's a "token"\nwith two lines ${randomUUID()}`;
const NODE_PRINT_ENV = 'process.stdout.write(JSON.stringify({ db: process.env.DB_URL, api: process.env.API_TOKEN, mapped: process.env.DATABASE_URL, token: process.env.STRONGROOM_TOKEN ?? null }))';

interface Entry {
  type: string;
  interface?: string;
  secret?: string;
}

describe('strongroom run, export and import', () => {
  const { home, cleanup } = tempHome('cli-run');
  const { run } = cliIn(home);
  const open = () => SecretManager.open({ home, logger: createLogger({ silent: true }) });
  const accesses = async (): Promise<number> => {
    const m = await open();
    try {
      return (await m.getAuditTrail({ limit: 100_000 })).filter((e) => (e as Entry).type === 'SecretAccessed').length;
    } finally {
      await m.close();
    }
  };

  beforeAll(async () => {
    assertBuilt();
    const m = await SecretManager.open({ home, initialise: true, logger: createLogger({ silent: true }) });
    await m.storeSecret('app/db-url', DB_URL);
    await m.storeSecret('app/api-token', API_TOKEN);
    await m.storeSecret('clash/db-url', 'a');
    await m.storeSecret('clash/db_url', 'b');
    await m.storeSecret('bin/cert', new Uint8Array([0, 1, 255]));
    await m.close();
  });
  afterAll(cleanup);

  it('run: the program sees the secrets under the prefix as variables, not our token, and its exit status is ours', async () => {
    const before = await accesses();
    const r = await run(['run', '--prefix', 'app/', '--', process.execPath, '-e', `${NODE_PRINT_ENV}; process.exit(7)`], { env: { STRONGROOM_TOKEN: 'srt_not_for_the_child' } });
    expect(r.code).toBe(7);
    expect(JSON.parse(r.stdout)).toEqual({ db: DB_URL, api: API_TOKEN, token: null });
    expect(r.stderr).toBe('');
    // Two audited reads, recorded by the CLI, before the program ran.
    expect((await accesses()) - before).toBe(2);
  });

  it('run --map: exactly the variables of the file; unknown secrets and bad variable names are refused before anything runs', async () => {
    const map = join(home, 'map.json');
    writeFileSync(map, JSON.stringify({ DATABASE_URL: 'app/db-url' }));
    const r = await run(['run', '--map', map, '--', process.execPath, '-e', NODE_PRINT_ENV]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ mapped: DB_URL, token: null });
    writeFileSync(map, JSON.stringify({ DATABASE_URL: 'app/missing' }));
    const missing = await run(['run', '--map', map, '--', process.execPath, '-e', 'process.stdout.write("ran")']);
    expect({ code: missing.code, out: missing.stdout }).toEqual({ code: 3, out: '' });
    writeFileSync(map, JSON.stringify({ 'DATABASE-URL': 'app/db-url' }));
    const badName = await run(['run', '--map', map, '--', process.execPath, '-e', 'process.stdout.write("ran")']);
    expect(badName.code).toBe(2);
    expect(badName.stderr).toMatch(/not a valid variable name/);
  });

  it('run refuses, before reading any value, secrets that collide as variables and binary values', async () => {
    const before = await accesses();
    const clash = await run(['run', '--prefix', 'clash/', '--', process.execPath, '-e', 'process.stdout.write("ran")']);
    expect(clash.code).toBe(2);
    expect(clash.stdout).toBe('');
    expect(clash.stderr).toMatch(/secrets clash\/db-url and clash\/db_url both map to the variable DB_URL/);
    const binary = await run(['run', '--prefix', 'bin/', '--', process.execPath, '-e', 'process.stdout.write("ran")']);
    expect(binary.code).toBe(2);
    expect(binary.stderr).toMatch(/bin\/cert is a binary value/);
    expect(await accesses()).toBe(before);
  });

  it('run: a command that does not exist is 127; a program killed by a signal is 128 + its number', async () => {
    const missing = await run(['run', '--prefix', 'app/', '--', 'no-such-program-here']);
    expect(missing.code).toBe(127);
    expect(missing.stderr).toMatch(/cannot run no-such-program-here: command not found/);
    const killed = await run(['run', '--prefix', 'app/', '--', 'sh', '-c', 'kill -9 $$']);
    expect(killed.code).toBe(128 + 9);
  });

  it('run forwards SIGTERM to the program and exits with what the program chose', async () => {
    const program = "process.on('SIGTERM', () => { process.stdout.write(' got SIGTERM'); process.exit(42); }); process.stdout.write('ready'); setInterval(() => {}, 1000);";
    const child = spawn(process.execPath, [BIN, '--home', home, 'run', '--prefix', 'app/', '--', process.execPath, '-e', program], { env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    await new Promise<void>((resolve) =>
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        out += chunk;
        if (out.includes('ready')) resolve();
      }),
    );
    child.kill('SIGTERM');
    expect(await exited).toBe(42);
    expect(out).toBe('ready got SIGTERM');
  });

  it('export: dotenv by default, refused on a terminal without --yes (before reading), a new 0600 file with --output', async () => {
    const dotenv = await run(['export', '--prefix', 'app/']);
    expect(dotenv.code).toBe(0);
    expect(dotenv.stdout).toContain(`DB_URL='${DB_URL}'\n`);
    const before = await accesses();
    // `script` gives the CLI a real terminal for stdout.
    const onTerminal = spawnSync('script', ['-qec', `${process.execPath} ${BIN} --home ${home} export --prefix app/`, '/dev/null'], { env: childEnv(), encoding: 'utf8' });
    expect(onTerminal.status).toBe(2);
    expect(onTerminal.stdout).toMatch(/would print secret values on this terminal/);
    expect(onTerminal.stdout).not.toContain(DB_URL);
    expect(await accesses()).toBe(before);

    const file = join(home, 'app.env');
    const written = await run(['export', '--prefix', 'app/', '--output', file]);
    expect(written.code).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toBe(dotenv.stdout);
    const again = await run(['export', '--prefix', 'app/', '--output', file]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists/);
  });

  it('import: a dotenv export round-trips into another environment; a JSON export round-trips names and all', async () => {
    await run(['env', 'create', 'staging']);
    const file = join(home, 'app.env');
    const dry = parseJson<{ created: string[]; dryRun: boolean }>(await run(['import', file, '--env', 'staging', '--prefix', 'app/', '--dry-run', '--json']));
    expect(dry).toMatchObject({ dryRun: true, created: ['app/API_TOKEN', 'app/DB_URL'] });
    const imported = await run(['import', file, '--env', 'staging', '--prefix', 'app/']);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toBe('Imported into staging: 2 created, 0 updated, 0 skipped\n');
    const got = await run(['get-secret', 'app/API_TOKEN', '--env', 'staging']);
    expect(got.stdout).toBe(API_TOKEN);

    const json = await run(['export', '--format', 'json', '--prefix', 'app/']);
    writeFileSync(join(home, 'app.json'), json.stdout);
    const again = parseJson<{ created: string[]; updated: string[] }>(await run(['import', join(home, 'app.json'), '--env', 'staging', '--prefix', 'copy/', '--json']));
    expect(again).toMatchObject({ created: ['copy/api-token', 'copy/db-url'], updated: [] });
    expect((await run(['get-secret', 'copy/db-url', '--env', 'staging'])).stdout).toBe(DB_URL);
    // Existing names get a new version, or are left alone with --skip-existing.
    const skip = parseJson<{ skipped: string[] }>(await run(['import', join(home, 'app.json'), '--env', 'staging', '--prefix', 'copy/', '--skip-existing', '--json']));
    expect(skip.skipped).toEqual(['copy/api-token', 'copy/db-url']);
    const update = parseJson<{ updated: string[] }>(await run(['import', join(home, 'app.json'), '--env', 'staging', '--prefix', 'copy/', '--json']));
    expect(update.updated).toEqual(['copy/api-token', 'copy/db-url']);
  });

  it('import checks every entry before writing any: one bad name at the end loses nothing and writes nothing', async () => {
    const file = join(home, 'bad.json');
    writeFileSync(file, JSON.stringify({ fine: 'v', 'not allowed': 'v' }));
    const r = await run(['import', file, '--prefix', 'bad/']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/"bad\/not allowed": the secret name may contain only/);
    const m = await open();
    expect((await m.listSecrets()).filter((s) => s.name.startsWith('bad/'))).toEqual([]);
    await m.close();
  });

  it('import --from muxi: a formation directory (.key + secrets.enc) becomes secrets; a wrong key is refused and stores nothing', async () => {
    const formation = join(home, 'formation');
    mkdirSync(formation);
    const key = generateFernetKey();
    writeFileSync(join(formation, '.key'), key, { mode: 0o600 });
    const secrets = { OPENAI_API_KEY: `sk-${randomUUID()}`, DATABASE_URL: DB_URL, MAX_TOKENS: 4096 };
    writeFileSync(join(formation, 'secrets.enc'), fernetEncrypt(parseFernetKey(key), JSON.stringify(secrets, null, 2)), { mode: 0o600 });

    const dry = await run(['import', '--from', 'muxi', formation, '--prefix', 'muxi/', '--dry-run']);
    expect(dry.stdout).toBe('Would import into default (nothing written):\n  create muxi/OPENAI_API_KEY\n  create muxi/DATABASE_URL\n  create muxi/MAX_TOKENS\n');
    expect(dry.stderr).toMatch(/MAX_TOKENS held JSON values other than strings/);
    const done = await run(['import', '--from', 'muxi', formation, '--prefix', 'muxi/']);
    expect(done.code).toBe(0);
    const m = await open();
    expect(await m.getSecretByName('muxi/OPENAI_API_KEY')).toBe(secrets.OPENAI_API_KEY);
    expect(await m.getSecretByName('muxi/MAX_TOKENS')).toBe('4096');
    await m.close();

    writeFileSync(join(formation, '.key'), generateFernetKey());
    const wrong = await run(['import', '--from', 'muxi', formation, '--prefix', 'wrong/']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/does not decrypt with/);
    expect(wrong.stderr).not.toContain(key);
    for (const output of [dry, done, wrong]) expect(output.stdout + output.stderr).not.toContain(secrets.OPENAI_API_KEY);
  });
});
