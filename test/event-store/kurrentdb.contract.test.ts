import { randomBytes } from 'node:crypto';
import { KurrentDbEventStore } from '../../src/event-store/kurrentdb/kurrentdb-event-store.js';
import { eventStoreContract, newSealer } from './contract.js';

/**
 * The shared contract against a real KurrentDB server, e.g.
 *   KURRENTDB_URL='esdb://localhost:2113?tls=false' NODE_OPTIONS=--experimental-vm-modules npx jest test/event-store/kurrentdb
 * Every store gets a fresh random prefix, so each test has its own empty log stream on the server.
 */
const url = process.env.KURRENTDB_URL;

const withPrefix = (base: string, prefix: string): string => `${base}${base.includes('?') ? '&' : '?'}prefix=${prefix}`;

if (!url) {
  process.stderr.write('SKIPPED: KurrentDB contract suite — set KURRENTDB_URL=esdb://host:2113?tls=false to run it\n');
  describe.skip('event store contract: KurrentDB (needs KURRENTDB_URL)', () => {
    it('runs the shared event-store contract against a KurrentDB server', () => undefined);
  });
} else {
  eventStoreContract('KurrentDB', async (sealer = newSealer()) => {
    const storeUrl = withPrefix(url, `strongroom-test-${randomBytes(6).toString('hex')}`);
    const open = async () => KurrentDbEventStore.open({ url: storeUrl, sealer });
    // Nothing to remove locally; the test streams stay on the (disposable) test server.
    return { store: await open(), sealer, reopen: open, cleanup: async () => undefined };
  });
}
