import { spawn } from 'node:child_process';
import { assertBuilt, BIN, childEnv } from './run-cli.js';

describe('strongroom in a pipeline', () => {
  beforeAll(assertBuilt);

  it('ends quietly when the reader closes early (`strongroom --help | true`), not with an EPIPE crash', async () => {
    const child = spawn('sh', ['-c', `"${process.execPath}" "${BIN}" --help | true`], { env: childEnv() });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    // `true` exits before the CLI has started, so its write meets a closed pipe: an unhandled EPIPE would print a stack trace.
    await new Promise((resolve) => child.on('close', resolve));
    expect(stderr).not.toMatch(/EPIPE|Error/);
  });
});
