import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { bashCompletion } from '../../src/interfaces/cli/completion/bash-completion.js';
import { completionTree } from '../../src/interfaces/cli/completion/command-tree.js';
import { zshCompletion } from '../../src/interfaces/cli/completion/zsh-completion.js';
import { Output } from '../../src/interfaces/cli/output.js';
import { buildProgram } from '../../src/interfaces/cli/program.js';
import { asksForVersion, VERSION_OPTION } from '../../src/interfaces/cli/version-option.js';
import { STRONGROOM_VERSION } from '../../src/shared/version.js';
import { tempHome } from '../support/temp-home.js';
import { assertBuilt, runCli } from './run-cli.js';

/**
 * `strongroom --version` and `strongroom completion bash|zsh`. The scripts are generated in-process from
 * the real program and run in a real bash (and zsh, when installed) with the words a user would have
 * typed; three CLI spawns check the verbs end to end.
 */
const PACKAGE_VERSION = (JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')) as { version: string }).version;
const discard = new Writable({ write: (_chunk, _encoding, done) => done() });
const tree = completionTree(buildProgram(new Output(false, discard, discard)), [VERSION_OPTION]);
const run = promisify(execFile);

const hasZsh = ((): boolean => {
  try {
    execFileSync('zsh', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('strongroom --version', () => {
  it('is the package.json version', () => {
    expect(STRONGROOM_VERSION).toBe(PACKAGE_VERSION);
  });

  it('is asked for alone (or with --json); `get-secret NAME --version N` stays a secret version', () => {
    expect([['--version'], ['-V'], ['--json', '--version'], ['-V', '--json']].map(asksForVersion)).toEqual([true, true, true, true]);
    expect([['get-secret', 'db', '--version', '2'], ['--version', 'extra'], [], ['--json']].map(asksForVersion)).toEqual([false, false, false, false]);
  });

  it('prints the package version from the built CLI, as text and as JSON', async () => {
    assertBuilt();
    const [text, json] = await Promise.all([runCli(['--version']), runCli(['-V', '--json'])]);
    expect({ code: text.code, stdout: text.stdout, stderr: text.stderr }).toEqual({ code: 0, stdout: `${PACKAGE_VERSION}\n`, stderr: '' });
    expect({ code: json.code, stdout: JSON.parse(json.stdout) as unknown }).toEqual({ code: 0, stdout: { version: PACKAGE_VERSION } });
  });
});

describe('strongroom completion', () => {
  let dir: string;
  let cleanup: () => void;
  let bashScript: string;
  beforeAll(() => {
    ({ home: dir, cleanup } = tempHome('completion'));
    bashScript = join(dir, 'strongroom.bash');
    writeFileSync(bashScript, bashCompletion(tree, STRONGROOM_VERSION));
    mkdirSync(join(dir, 'keys'));
    writeFileSync(join(dir, 'keys', 'payments.pem'), '');
  });
  afterAll(() => cleanup());

  /** What bash offers after the words typed so far (the last one is the word being completed). */
  const bashOffers = async (...typed: string[]): Promise<string[]> => {
    const words = ['strongroom', ...typed].map((word) => `'${word}'`).join(' ');
    const { stdout } = await run('bash', ['-c', `source '${bashScript}'; COMP_WORDS=(${words}); COMP_CWORD=${typed.length}; _strongroom; printf '%s\\n' "\${COMPREPLY[@]}"`]);
    return stdout.split('\n').filter((line) => line !== '');
  };

  it('the tree has every verb of the program: the interface verbs, the catalogue verbs, groups and their verbs', () => {
    const names = tree.commands.map((command) => command.name);
    expect(names).toEqual(expect.arrayContaining(['init', 'serve', 'completion', 'add-secret', 'get-secret', 'audit', 'token', 'policy', 'help']));
    expect(tree.commands.find((command) => command.name === 'token')?.commands.map((command) => command.name)).toEqual(expect.arrayContaining(['create', 'list', 'revoke', 'rotate']));
  });

  it('bash completes verbs, verbs of a group, and options of the verb being typed with the global ones', async () => {
    expect(await bashOffers('add-')).toEqual(['add-secret']);
    expect(await bashOffers('token', '')).toEqual(expect.arrayContaining(['create', 'list', 'revoke', 'rotate']));
    expect(await bashOffers('token', 'create', '--')).toEqual(expect.arrayContaining(['--name', '--policy', '--ttl', '--home', '--json', '--help']));
    expect(await bashOffers('get-secret', 'db', '--ver')).toEqual(['--version']);
    expect(await bashOffers('--ver')).toEqual(['--version']);
  });

  it('bash steps over option values, completes file names after a path option, and a command after --', async () => {
    expect(await bashOffers('--home', '/tmp/x', 'tok')).toEqual(['token']);
    // `token` is the value of --env here, so these are the program's verbs, not the token group's `rotate`.
    const rot = await bashOffers('--env', 'token', 'rot');
    expect(rot).toEqual(expect.arrayContaining(['rotate-key', 'rotate-master-key', 'rotate-secret']));
    expect(rot).not.toContain('rotate');
    expect(await bashOffers('add-secret', 'tls/key', '--value-file', join(dir, 'keys', 'pay'))).toEqual([join(dir, 'keys', 'payments.pem')]);
    expect(await bashOffers('--store', '')).toEqual([]);
    // `run -- CMD ARGS`: a command name from the PATH, then bash's own default completion.
    expect(await bashOffers('run', '--', 'nod')).toContain('node');
    expect(await bashOffers('run', '--', 'node', '')).toEqual([]);
  });

  (hasZsh ? it : it.skip)('zsh: the script parses, and offers verbs with descriptions, options, files after a path option, and the command after --', async () => {
    const script = join(dir, '_strongroom');
    writeFileSync(script, zshCompletion(tree, STRONGROOM_VERSION));
    await run('zsh', ['-n', script]);
    // zsh's completion system runs only in an interactive line editor; its two entry points are stood in
    // for by functions that print what they were given, and the script's own logic runs for real.
    const offers = async (current: number, prefix: string, ...typed: string[]): Promise<string[]> => {
      const words = ['strongroom', ...typed].map((word) => `'${word}'`).join(' ');
      const { stdout } = await run('zsh', [
        '-f',
        '-c',
        `source '${script}'; _describe() { print -rl -- "\${(@P)\${@[-1]}}" }; _files() { print -r -- '<files>' }; _normal() { print -r -- "<normal> $CURRENT \${words[*]}" }; words=(${words}); CURRENT=${current}; PREFIX='${prefix}'; _strongroom`,
      ]);
      return stdout.split('\n').filter((line) => line !== '');
    };
    expect(await offers(3, '', 'token', '')).toEqual(expect.arrayContaining(['create:create an API token (printed once; the log keeps only its digest)', 'revoke:revoke a token on every replica']));
    expect(await offers(4, '--', 'get-secret', 'db', '--')).toEqual(expect.arrayContaining(['--version:an earlier version instead of the current one', '--home:Strongroom home (default: $STRONGROOM_HOME or ~/.strongroom)']));
    expect(await offers(5, '', 'add-secret', 'x', '--value-file', '')).toEqual(['<files>']);
    expect(await offers(4, '', '--store', 'x', '')).toEqual(expect.arrayContaining(['init:initialise an empty Strongroom home: master key, root API token, empty log']));
    // After `run --`, the words from the command on are completed as zsh completes that command.
    expect(await offers(7, 'ser', '--env', 'prod', 'run', '--', 'node', 'ser')).toEqual(['<normal> 2 node ser']);
  });
  if (!hasZsh) it('zsh is not installed: its completion test was skipped (apt-get install zsh runs it)', () => expect(hasZsh).toBe(false));

  it('the built CLI prints the same script, and refuses a shell it does not know (exit 2)', async () => {
    assertBuilt();
    const [bash, fish] = await Promise.all([runCli(['completion', 'bash']), runCli(['completion', 'fish'])]);
    expect({ code: bash.code, stderr: bash.stderr }).toEqual({ code: 0, stderr: '' });
    expect(bash.stdout).toBe(readFileSync(bashScript, 'utf8'));
    expect(fish.code).toBe(2);
    expect(fish.stderr).toContain("Allowed choices are bash, zsh");
    expect(fish.stdout).toBe('');
  });
});
