import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempHome } from '../support/temp-home.js';
import { assertBuilt, runCli } from './run-cli.js';

/**
 * `audit verify --export` with wrong inputs, as a tester met them: a file that is not a public key gave
 * OpenSSL's "DECODER routines::unsupported", a missing directory a raw ENOENT from stat/scandir. Each is
 * now INVALID_INPUT (exit 2) naming the path and what was expected (real child processes).
 */
describe('strongroom audit verify --export: unusable inputs', () => {
  let dir: string;
  let cleanup: () => void;
  let keyFile: string;
  let exportDir: string;

  beforeAll(() => {
    assertBuilt();
    ({ home: dir, cleanup } = tempHome('verify-inputs'));
    keyFile = join(dir, 'signing.pub.pem');
    writeFileSync(keyFile, generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }));
    exportDir = join(dir, 'export');
    mkdirSync(exportDir);
    writeFileSync(join(exportDir, 'events.jsonl'), '');
  });

  afterAll(() => cleanup?.());

  const verify = (args: string[]) => runCli(['--home', join(dir, 'no-home'), 'audit', 'verify', ...args]);

  it('names a key file that holds no PEM Ed25519 public key', async () => {
    const rsa = join(dir, 'rsa.pub.pem');
    writeFileSync(rsa, generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }));
    for (const key of ['/dev/null', rsa]) {
      const run = await verify(['--export', exportDir, '--public-key', key]);
      expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 2, stderr: `strongroom: ${key} does not hold a PEM Ed25519 public key (strongroom audit public-key prints it) (INVALID_INPUT)\n` });
    }
  });

  it('names a missing export, events file or checkpoints directory instead of a raw ENOENT', async () => {
    const missing = join(dir, 'missing');
    const noExport = await verify(['--export', missing, '--public-key', keyFile]);
    expect({ code: noExport.code, stderr: noExport.stderr }).toEqual({ code: 2, stderr: `strongroom: the export ${missing} does not exist: expected a directory holding events.jsonl, or the events file itself (INVALID_INPUT)\n` });
    const noEvents = await verify(['--export', dir, '--public-key', keyFile]);
    expect(noEvents.code).toBe(2);
    expect(noEvents.stderr).toContain(`the export's events file ${join(dir, 'events.jsonl')} does not exist`);
    const noCheckpoints = await verify(['--export', exportDir, '--public-key', keyFile, '--checkpoints', missing]);
    expect({ code: noCheckpoints.code, stderr: noCheckpoints.stderr }).toEqual({ code: 2, stderr: `strongroom: the checkpoints directory ${missing} does not exist: expected a directory of checkpoint *.json / *.jsonl files (INVALID_INPUT)\n` });
    const fileAsDir = await verify(['--export', exportDir, '--public-key', keyFile, '--checkpoints', keyFile]);
    expect(fileAsDir.stderr).toContain(`the checkpoints directory ${keyFile} is not a directory`);
    for (const run of [noExport, noEvents, noCheckpoints, fileAsDir]) expect(run.stderr).not.toMatch(/ENOENT|ENOTDIR|scandir|DECODER/);
  });
});
