// A real process that stores secrets as fast as it can (64 at a time) through a SQLite store whose
// commits run in the writer thread, printing `ack <id> <value>` as each store answers; the test
// SIGKILLs it mid-stream. Values are test data, never real secrets.
import { SecretManager } from '../../dist/index.js';

const home = process.argv[2];
const manager = await SecretManager.open({ home, initialise: false, env: { ...process.env, STRONGROOM_SQLITE_WORKER: '1' } });
process.stdout.write('READY\n');
let i = 0;
await Promise.all(
  Array.from({ length: 64 }, async () => {
    for (;;) {
      const n = i++;
      const value = `crash-value-${n}`;
      const id = await manager.storeSecret(`crash-${n}`, value);
      process.stdout.write(`ack ${id} ${value}\n`);
    }
  }),
);
