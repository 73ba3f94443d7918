// A real process that rotates the master key of a Strongroom home through the library (dist/), and can
// be stopped right after any durable step of the rotation.
//   argv: <home>
//   HOLD_AT=key-written|started|previous-kept|swapped|completed   stop there: print "HOLD <step>" and block
//     synchronously (so nothing after the step runs) until RELEASE_FILE exists, or for good without
//     RELEASE_FILE (the test then SIGKILLs it).
//   NEW_KEY_FILE=<path>   a two-step rotation: step one only (its steps are key-written and started).
//   STORE=<url>           a store other than the home's SQLite file.
// Prints "STEP <step>" after each step, then "DONE <result json>" or "REFUSED <code> <message>".
// Test-only: the hook is the library's public `onStep` callback; the product has no test switch.
import { existsSync, writeSync } from 'node:fs';
import { SecretManager } from '../../dist/index.js';

const home = process.argv[2];
const holdAt = process.env.HOLD_AT ?? '';
const release = process.env.RELEASE_FILE;
const say = (line) => writeSync(1, `${line}\n`);
const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
// Never outlive a test that forgot this process: a held child gives up after two minutes.
const hold = (step) => {
  say(`HOLD ${step}`);
  const giveUp = Date.now() + 120_000;
  while (!(release && existsSync(release))) {
    if (Date.now() > giveUp) process.exit(9);
    sleep(10);
  }
};

const manager = await SecretManager.open({ home, store: process.env.STORE, initialise: false });
try {
  const result = await manager.rotateMasterKey({
    newKeyFile: process.env.NEW_KEY_FILE,
    onStep: (step) => {
      say(`STEP ${step}`);
      if (step === holdAt) hold(step);
    },
  });
  say(`DONE ${JSON.stringify(result)}`);
} catch (e) {
  say(`REFUSED ${e?.code ?? 'UNEXPECTED'} ${e?.message ?? String(e)}`);
  process.exitCode = 4;
} finally {
  await manager.close();
}
