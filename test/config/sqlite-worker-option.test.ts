import { resolveOptions } from '../../src/config/options.js';

/** STRONGROOM_SQLITE_WORKER is read once at the root: 1 turns the SQLite writer thread on, 0 or unset leave it off. */
describe('STRONGROOM_SQLITE_WORKER', () => {
  const resolve = (value: string | undefined) => resolveOptions({ env: value === undefined ? {} : { STRONGROOM_SQLITE_WORKER: value }, home: '/tmp/strongroom-options' });

  it.each([
    [undefined, false],
    ['', false],
    ['0', false],
    ['false', false],
    ['1', true],
    ['true', true],
  ])('%p gives %p', (value, expected) => {
    expect(resolve(value).sqliteWriterThread).toBe(expected);
  });

  it('refuses anything else with INVALID_INPUT naming the variable', () => {
    expect(() => resolve('yes')).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringContaining('STRONGROOM_SQLITE_WORKER') }));
  });
});
