// A real process that rotates the data key of a Strongroom home and can be killed mid-rotation.
// KILL_AT=started|chunk|all makes it stop *inside* the synchronous progress callback at that point
// (after the events before it are durable, before anything after it is written), print READY, and
// wait to be SIGKILLed. Without KILL_AT it rotates to the end and prints DONE.
import { SecretManager } from '../../dist/index.js';

const home = process.argv[2];
const killAt = process.env.KILL_AT ?? '';
const hold = () => {
  process.stdout.write('READY\n');
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
};

const manager = await SecretManager.open({ home, initialise: false });
await manager.rotateKey({
  onProgress: ({ done, total }) => {
    process.stdout.write(`progress ${done}/${total}\n`);
    if (killAt === 'started' && done === 0) hold();
    if (killAt === 'chunk' && done > 0 && done < total) hold();
    if (killAt === 'all' && done === total) hold();
  },
});
await manager.close();
process.stdout.write('DONE\n');
