import { copyFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SecretManager } from '../../src/index.js';
import { createLogger } from '../../src/shared/logger.js';
import { assertBuilt, parseJson, runCli } from '../cli/run-cli.js';
import { startTestServer } from '../http/http-harness.js';
import { call, ReplicaProcess } from '../replicas/replica-process.js';
import { codeOfRun, keyIdIn, masterStatus, startRotationChild } from '../support/master-key.js';
import { dropSchema, freshSchemaName, testPostgresUrl, withSchema } from '../support/pg-test-db.js';
import { tempHome } from '../support/temp-home.js';

/**
 * Concurrent master-key rotations, from two real processes and from two requests to one server, on
 * SQLite and on PostgreSQL: one at a time succeeds, the other is refused with ROTATION_IN_PROGRESS (never a
 * 500), master.key always holds the key the log expects (checked *before* any later start could repair
 * it), and every secret reads back after a restart. Needs dist/ (npm test builds it first).
 */
const quiet = createLogger({ silent: true });

interface Backend {
  readonly name: string;
  /** A store URL for a fresh store (undefined: the home's SQLite file), and how to drop it. */
  create(): Promise<{ store: string | undefined; drop: () => Promise<void> }>;
}

const backends: Backend[] = [
  { name: 'SQLite', create: async () => ({ store: undefined, drop: async () => undefined }) },
  {
    name: 'PostgreSQL',
    create: async () => {
      const base = await testPostgresUrl();
      const schema = freshSchemaName();
      return { store: withSchema(base, schema), drop: () => dropSchema(base, schema) };
    },
  },
];

const storeArgs = (store: string | undefined): string[] => (store ? ['--store', store] : []);

const seed = async (home: string, store: string | undefined): Promise<Map<string, string>> => {
  const m = await SecretManager.open({ home, store, initialise: true, logger: quiet });
  const values = new Map<string, string>();
  try {
    for (let i = 0; i < 8; i++) values.set(await m.storeSecret(`svc/${i}`, `value-${i}`), `value-${i}`);
    await m.rotateKey(); // a retired data key, so the rewrap must cover it too
  } finally {
    await m.close();
  }
  return values;
};

/**
 * The invariant: the key in master.key, read before anything restarts, is the key the log expects, with
 * nothing pending; then a new process reads every secret.
 */
const expectConsistent = async (home: string, store: string | undefined, values: ReadonlyMap<string, string>): Promise<string> => {
  const inFile = keyIdIn(join(home, 'master.key'));
  const status = await masterStatus(home, store);
  expect({ inFile, pending: status.pendingRotationId }).toEqual({ inFile: status.masterKeyId, pending: null });
  const m = await SecretManager.open({ home, store, initialise: false, logger: quiet });
  try {
    for (const [id, value] of values) expect(await m.getSecret(id)).toBe(value);
    expect((await m.verifyAuditLog()).ok).toBe(true);
  } finally {
    await m.close();
  }
  return inFile;
};

const completedRotations = (status: Awaited<ReturnType<typeof masterStatus>>): number => status.rotations.filter((r) => r.completedAt !== null).length;

describe.each(backends)('concurrent master-key rotations on $name', (backend) => {
  let home: string;
  let cleanup: () => void;
  let store: string | undefined;
  let drop: () => Promise<void>;
  let values: Map<string, string>;

  beforeAll(assertBuilt);

  beforeEach(async () => {
    ({ home, cleanup } = tempHome('mk-concurrent'));
    ({ store, drop } = await backend.create());
    expect((await runCli(['--home', home, ...storeArgs(store), 'init', '--json'])).code).toBe(0);
    values = await seed(home, store);
  }, 60_000);

  afterEach(async () => {
    await drop();
    cleanup();
  });

  it('a running server is refused while another process has a rotation recorded but unfinished; the first then completes', async () => {
    const server = await ReplicaProcess.start(home, store ?? `sqlite:${join(home, 'strongroom.db')}`);
    try {
      const token = readFileSync(join(home, 'api-token'), 'utf8').trim();
      const first = startRotationChild(home, { holdAt: 'started', store, releasable: true });
      expect(await first.held).toBe(true);
      const second = await call(server.url, token, 'POST', '/v1/keys/master/rotate');
      expect(second).toMatchObject({ status: 409, body: { error: { code: 'ROTATION_IN_PROGRESS' } } });
      first.release();
      expect((await first.exited).output).toContain('DONE');
      const afterFirst = await expectConsistent(home, store, values);
      expect(completedRotations(await masterStatus(home, store))).toBe(1);

      // The server still ran on the old master key; it adopts the current one from the shared file.
      const again = await call(server.url, token, 'POST', '/v1/keys/master/rotate');
      expect(again).toMatchObject({ status: 200, body: { status: 'completed', previousMasterKeyId: afterFirst } });
    } finally {
      expect(await server.stop()).toBe(0);
    }
    await expectConsistent(home, store, values);
    expect(completedRotations(await masterStatus(home, store))).toBe(2);
  }, 60_000);

  it('a process started while another rotation is unfinished finishes that one first, then rotates: one after the other', async () => {
    const first = startRotationChild(home, { holdAt: 'started', store, releasable: true });
    expect(await first.held).toBe(true);
    const second = await runCli(['--home', home, ...storeArgs(store), 'rotate-master-key', '--json']);
    expect(second.code).toBe(0);
    first.release();
    const { output } = await first.exited;
    const done = JSON.parse(output.split('\n').find((l) => l.startsWith('DONE '))?.slice(5) ?? 'null') as { status: string; rotationId: string } | null;
    expect(done).toMatchObject({ status: 'completed' });

    const key = await expectConsistent(home, store, values);
    const status = await masterStatus(home, store);
    expect(status.rotations.map((r) => [r.rotationId, Boolean(r.completedAt)])).toEqual([
      [done?.rotationId, true],
      [parseJson<{ rotationId: string }>(second).rotationId, true],
    ]);
    expect(key).toBe(parseJson<{ masterKeyId: string }>(second).masterKeyId);
  }, 60_000);

  it('a rotation that wrote its key but lost the race to one that completed is refused, and removes only its own key file', async () => {
    const first = startRotationChild(home, { holdAt: 'key-written', store, releasable: true });
    expect(await first.held).toBe(true);
    const unused = readdirSync(home).filter((n) => n.startsWith('master.key.next-'));
    expect(unused).toHaveLength(1);
    const second = await runCli(['--home', home, ...storeArgs(store), 'rotate-master-key', '--json']);
    expect(second.code).toBe(0);
    first.release();
    const { output } = await first.exited;
    expect(output).toMatch(/REFUSED ROTATION_IN_PROGRESS another master-key rotation ran meanwhile/);

    const key = await expectConsistent(home, store, values);
    expect(key).toBe(parseJson<{ masterKeyId: string }>(second).masterKeyId);
    expect(readdirSync(home).filter((n) => n.startsWith('master.key.next'))).toEqual([]);
    expect(completedRotations(await masterStatus(home, store))).toBe(1);
  }, 60_000);

  it('two rotations at once in one process (library): exactly one succeeds, the other is refused', async () => {
    const m = await SecretManager.open({ home, store, initialise: false, logger: quiet });
    let outcomes: string[];
    try {
      outcomes = (await Promise.allSettled([m.rotateMasterKey(), m.rotateMasterKey()])).map((o) =>
        o.status === 'fulfilled' ? o.value.status : ((o.reason as { code?: string }).code ?? String(o.reason)),
      );
    } finally {
      await m.close();
    }
    expect(outcomes.sort()).toEqual(['ROTATION_IN_PROGRESS', 'completed']);
    await expectConsistent(home, store, values);
    expect(completedRotations(await masterStatus(home, store))).toBe(1);
  }, 60_000);

  it('two rotation requests at once to a fresh server, five times: each succeeds or is refused, never a 500, never a stranded key', async () => {
    // A fresh server each time: its first rotation runs cold, which is when two requests overlap most.
    for (let trial = 0; trial < 5; trial++) {
      const own = await backend.create();
      let server: Awaited<ReturnType<typeof startTestServer>> | undefined;
      try {
        server = await startTestServer({ ...(own.store && { STRONGROOM_STORE: own.store }) });
        const { client } = server;
        const replies = await Promise.all([client.post('/v1/keys/master/rotate'), client.post('/v1/keys/master/rotate')]);
        expect((await client.post('/v1/secrets', { name: 'http/one', value: 'over-http' })).status).toBe(201);
        for (const r of replies) {
          expect([200, 409]).toContain(r.status);
          if (r.status === 409) expect(r.json.error.code).toBe('ROTATION_IN_PROGRESS');
        }
        const succeeded = replies.filter((r) => r.status === 200).length;
        expect(succeeded).toBeGreaterThan(0);
        // master.key, read before any other process could repair it, must open the store in a new process...
        const inFile = keyIdIn(server.options.masterKeyFile);
        const restart = await runCli(['--home', server.home, ...storeArgs(own.store), 'get-secret', 'http/one']);
        expect({ code: restart.code, stdout: restart.stdout, stderr: restart.stderr }).toEqual({ code: 0, stdout: 'over-http', stderr: '' });
        // ...because it is the key the log expects, with nothing left pending.
        const rotations = await client.get('/v1/keys/rotations');
        expect({ inFile, pending: rotations.json.master.pendingRotationId }).toEqual({ inFile: rotations.json.master.masterKeyId, pending: null });
        expect((rotations.json.master.rotations as unknown[]).length).toBe(succeeded);
      } finally {
        await server?.stop();
        await own.drop();
      }
    }
  }, 120_000);
});

describe.each(backends)('two server processes on one $name store rotating at once', (backend) => {
  beforeAll(assertBuilt);

  it('sharing one master key file: one rotation at a time, the file always holds the key the log expects', async () => {
    const { home, cleanup } = tempHome('mk-replicas');
    const created = await backend.create();
    const store = created.store ?? `sqlite:${join(home, 'strongroom.db')}`;
    const replicas: ReplicaProcess[] = [];
    try {
      expect((await runCli(['--home', home, '--store', store, 'init', '--json'])).code).toBe(0);
      const values = await seed(home, store);
      const token = readFileSync(join(home, 'api-token'), 'utf8').trim();
      // Not a test of the write deadline: on a loaded machine the default 10 s can pass while the other
      // process holds the rotation, which would answer 503 instead of the 409 this test is about.
      const slow = { STRONGROOM_WRITE_DEADLINE_MS: '120000' };
      replicas.push(...(await Promise.all([ReplicaProcess.start(home, store, slow), ReplicaProcess.start(home, store, slow)])));
      const [a, b] = replicas as [ReplicaProcess, ReplicaProcess];
      let succeeded = 0;
      for (let trial = 0; trial < 3; trial++) {
        const replies = await Promise.all([call(a.url, token, 'POST', '/v1/keys/master/rotate'), call(b.url, token, 'POST', '/v1/keys/master/rotate')]);
        for (const r of replies) expect([200, 409]).toContain(r.status);
        for (const r of replies.filter((x) => x.status === 409)) expect(r.body.error.code).toBe('ROTATION_IN_PROGRESS');
        succeeded += replies.filter((r) => r.status === 200).length;
        expect(succeeded).toBeGreaterThan(0);
        const winner = replies.find((r) => r.status === 200);
        const inFile = keyIdIn(join(home, 'master.key'));
        const restart = await runCli(['--home', home, '--store', store, 'list-secrets', '--json']);
        expect({ code: restart.code, stderr: restart.stderr }).toEqual({ code: 0, stderr: '' });
        const status = await call(a.url, token, 'GET', '/v1/keys/rotations', undefined, { 'x-strongroom-min-position': String(winner?.position ?? 0) });
        expect({ inFile, pending: status.body.master.pendingRotationId }).toEqual({
          inFile: status.body.master.masterKeyId,
          pending: null,
        });
      }
      expect(await Promise.all(replicas.map((r) => r.stop()))).toEqual([0, 0]);
      replicas.length = 0;
      await expectConsistent(home, store, values);
      expect(completedRotations(await masterStatus(home, store))).toBe(succeeded);
    } finally {
      await Promise.all(replicas.map((r) => r.stop()));
      await created.drop();
      cleanup();
    }
  }, 120_000);
});

describe('a rotation whose process died, on a PostgreSQL store shared by two homes', () => {
  beforeAll(assertBuilt);

  it('a rotation whose process died after its start is refused elsewhere, cancelled there, and its home still starts', async () => {
    const { home, cleanup } = tempHome('mk-died');
    const { home: other, cleanup: cleanupOther } = tempHome('mk-died-other');
    const base = await testPostgresUrl();
    const schema = freshSchemaName();
    const store = withSchema(base, schema);
    try {
      expect((await runCli(['--home', home, '--store', store, 'init', '--json'])).code).toBe(0);
      const values = await seed(home, store);
      const original = keyIdIn(join(home, 'master.key'));
      // A second replica with its own copy of the key, as the README describes.
      copyFileSync(join(home, 'master.key'), join(other, 'master.key'));
      const died = startRotationChild(home, { holdAt: 'swapped', store });
      expect(await died.held).toBe(true);
      await died.kill();

      const refused = await runCli(['--home', other, '--store', store, 'rotate-master-key', '--json']);
      expect(codeOfRun(refused)).toBe('ROTATION_IN_PROGRESS');
      expect(parseJson<{ error: { message: string } }>(refused).error.message).toMatch(/--cancel/);
      const cancelled = await runCli(['--home', other, '--store', store, 'rotate-master-key', '--cancel', '--json']);
      expect(cancelled.code).toBe(0);
      expect(parseJson<{ status: string }>(cancelled).status).toBe('cancelled');

      // The dead process's home holds the new key, which the log no longer expects: its next start puts the
      // old key back (keeping the other) and runs.
      const abandoned = keyIdIn(join(home, 'master.key'));
      expect(abandoned).not.toBe(original);
      expect((await runCli(['--home', home, '--store', store, 'list-secrets'])).code).toBe(0);
      expect(readdirSync(home).filter((n) => n.startsWith('master.key.')).sort()).toEqual([`master.key.previous-${abandoned}`]);
      await expectConsistent(home, store, values);
      expect(keyIdIn(join(home, 'master.key'))).toBe(original);
      await expectConsistent(other, store, values);
    } finally {
      await dropSchema(base, schema).catch(() => undefined);
      cleanup();
      cleanupOther();
    }
  }, 120_000);
});
