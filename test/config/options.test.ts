import { resolveOptions, SERVER_ACCESS_INDEX_WARM_MS, SERVER_CHECKPOINT_EVERY_EVENTS, SERVER_CHECKPOINT_INTERVAL_MS } from '../../src/config/options.js';

/**
 * Configuration read once at the root (src/config/options.ts): what differs between a server and the
 * other processes, and that the environment still decides.
 */
describe('options', () => {
  it('a server signs checkpoints by itself by default; a library or CLI process only on demand; the environment overrides both', () => {
    const home = '/tmp/strongroom-options-test';
    expect(resolveOptions({ env: {}, home, role: 'server' }).checkpoints).toMatchObject({ everyEvents: SERVER_CHECKPOINT_EVERY_EVENTS, intervalMs: SERVER_CHECKPOINT_INTERVAL_MS });
    expect(resolveOptions({ env: {}, home }).checkpoints).toMatchObject({ everyEvents: 0, intervalMs: 0 });
    expect(resolveOptions({ env: { STRONGROOM_CHECKPOINT_EVERY_EVENTS: '0', STRONGROOM_CHECKPOINT_INTERVAL_MS: '60000' }, home, role: 'server' }).checkpoints).toMatchObject({
      everyEvents: 0,
      intervalMs: 60_000,
    });
    expect(resolveOptions({ env: { STRONGROOM_CHECKPOINT_EVERY_EVENTS: '5' }, home }).checkpoints?.everyEvents).toBe(5);
    expect(() => resolveOptions({ env: { STRONGROOM_CHECKPOINT_EVERY_EVENTS: 'often' }, home, role: 'server' })).toThrow(/STRONGROOM_CHECKPOINT_EVERY_EVENTS/);
  });

  it('a server keeps the access index warm by default; other processes do not; the environment overrides both', () => {
    const home = '/tmp/strongroom-options-test';
    expect(resolveOptions({ env: {}, home, role: 'server' }).accessIndexWarmMs).toBe(SERVER_ACCESS_INDEX_WARM_MS);
    expect(resolveOptions({ env: {}, home }).accessIndexWarmMs).toBe(0);
    expect(resolveOptions({ env: { STRONGROOM_ACCESS_INDEX_WARM_MS: '0' }, home, role: 'server' }).accessIndexWarmMs).toBe(0);
    expect(resolveOptions({ env: { STRONGROOM_ACCESS_INDEX_WARM_MS: '5000' }, home }).accessIndexWarmMs).toBe(5000);
    expect(() => resolveOptions({ env: { STRONGROOM_ACCESS_INDEX_WARM_MS: 'soon' }, home, role: 'server' })).toThrow(/STRONGROOM_ACCESS_INDEX_WARM_MS/);
  });
});
