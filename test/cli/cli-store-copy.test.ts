import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { tempHome } from '../support/temp-home.js';
import { assertBuilt, cliIn, parseJson } from './run-cli.js';

/** `strongroom store copy` into a target that has lived a life of its own says where and what to do. */
const VALUE = 'copied-value-Wm55';

describe('strongroom store copy: a target used since the last copy', () => {
  beforeAll(assertBuilt);

  it('exits 4 naming the position where the logs part and what to do', async () => {
    const source = tempHome('copy-src');
    const target = tempHome('copy-dst');
    const foreign = tempHome('copy-foreign');
    const to = `sqlite:${join(target.home, 'strongroom.db')}`;
    const a = cliIn(source.home);
    const b = cliIn(target.home);
    try {
      expect((await a.run(['init'])).code).toBe(0);
      expect((await a.run(['add-secret', 'db/password', VALUE])).code).toBe(0);
      expect((await a.run(['store', 'copy', '--to', to])).code).toBe(0);
      const head = parseJson<{ position: number }>(await a.run(['audit', 'checkpoint', '--json'])).position;

      // The copy is put to use: one read there appends an access event at head + 1.
      mkdirSync(target.home, { recursive: true, mode: 0o700 });
      copyFileSync(join(source.home, 'master.key'), join(target.home, 'master.key'));
      expect((await b.run(['get-secret', 'db/password'])).stdout.trim()).toBe(VALUE);

      const used = await a.run(['store', 'copy', '--to', to]);
      expect({ code: used.code, stdout: used.stdout }).toEqual({ code: 4, stdout: '' });
      expect(used.stderr).toContain('the target store already holds other events');
      expect(used.stderr).toContain(`it holds all ${head} events of this store and 1 more from position ${head + 1} on, so it has been used since it was copied`);
      expect(used.stderr).toMatch(/Copy into an empty store .*or into one that holds only a prefix of this log/);
      expect(used.stderr).toMatch(/\(ALREADY_INITIALISED\)\n$/);

      // Both logs moved on: they part at the same place.
      expect((await a.run(['add-secret', 'other', VALUE])).code).toBe(0);
      const parted = parseJson<{ error: { code: string; message: string; details: object } }>(await a.run(['store', 'copy', '--to', to, '--json']));
      expect(parted.error.code).toBe('ALREADY_INITIALISED');
      expect(parted.error.message).toContain(`the two logs agree up to position ${head} and differ from position ${head + 1} on`);
      expect(parted.error.details).toEqual({ divergesAt: head + 1, sourceHead: head + 1, targetHead: head + 1 });

      // A store of another home has nothing in common with this one.
      expect((await cliIn(foreign.home).run(['init'])).code).toBe(0);
      const other = await a.run(['store', 'copy', '--to', `sqlite:${join(foreign.home, 'strongroom.db')}`]);
      expect(other.code).toBe(4);
      expect(other.stderr).toContain('the two logs differ from position 1 on: they have nothing in common');
      for (const run of [...a.runs, ...b.runs]) expect(run.stderr).not.toContain(VALUE);
    } finally {
      source.cleanup();
      target.cleanup();
      foreign.cleanup();
    }
  });
});
