import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './npm.js';

/**
 * The Dockerfile says what we promise, read as text: no Docker engine runs on the test machines, so the
 * image itself is not built here. A Node LTS base, the same Node major in both stages (the native
 * addon built in one is loaded in the other), a non-root user that owns the data volume, a
 * HEALTHCHECK, nothing secret in ENV/ARG or copied in, and a .dockerignore that keeps node_modules,
 * builds, the git history, keys and stores out of the build context.
 */

interface Instruction {
  readonly keyword: string;
  readonly args: string;
}

/**
 * Dockerfile instructions in order: comments dropped, `\` continuations joined. The syntax used here
 * is that small; a parser library (dockerfile-ast, docker-file-parser) would be a dependency for ten lines.
 */
const instructions = (text: string): Instruction[] =>
  text
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => {
      const [keyword = '', ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
    });

const all = instructions(readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8'));
const stageStarts = all.flatMap((instruction, index) => (instruction.keyword === 'FROM' ? [index] : []));
/** The stage that becomes the image: from the last FROM on. */
const runtime = all.slice(stageStarts.at(-1) ?? 0);
const args = (keyword: string, within: readonly Instruction[] = all): string[] => within.filter((i) => i.keyword === keyword).map((i) => i.args);

describe('Dockerfile', () => {
  it('builds on a Node LTS line (even major, 22 or later), the same in every stage', () => {
    const bases = args('FROM').map((from) => /^node:(\d+)-[a-z0-9.-]+(\s+AS\s+\w+)?$/i.exec(from));
    expect(bases.length).toBeGreaterThanOrEqual(2);
    const majors = bases.map((match) => Number(match?.[1]));
    expect(new Set(majors).size).toBe(1);
    const [major = 0] = majors;
    expect(major % 2 === 0 && major >= 22).toBe(true);
  });

  it('runs as a non-root user that owns the data volume', () => {
    const users = args('USER', runtime);
    expect(users.length).toBeGreaterThanOrEqual(1);
    const user = users.at(-1) ?? '';
    expect(user).not.toMatch(/^(root|0)(:|$)/);
    expect(args('VOLUME', runtime).join(' ')).toContain('/data');
    expect(args('RUN', runtime).some((run) => run.includes(`chown ${user}`) && run.includes('/data') && run.includes('-m 700'))).toBe(true);
    expect(runtime.findIndex((i) => i.keyword === 'USER')).toBeLessThan(runtime.findIndex((i) => i.keyword === 'CMD'));
  });

  it('has a HEALTHCHECK on /healthz and starts the server with node as PID 1 (exec form: SIGTERM reaches it)', () => {
    const [healthcheck, ...more] = args('HEALTHCHECK', runtime);
    expect(more).toEqual([]);
    expect(healthcheck).toMatch(/CMD \[.*\/healthz/);
    expect(args('CMD', runtime)).toEqual(['["node", "dist/main.js"]']);
  });

  it('puts no key, password or token in ENV or ARG, and copies none in', () => {
    const settings = [...args('ENV'), ...args('ARG')].join(' ');
    expect(settings).not.toMatch(/(KEY|PASSWORD|TOKEN|SECRET)[A-Z_]*=(?!\/)/i);
    expect(settings).not.toMatch(/srt_|:\/\/[^/@\s]*:[^/@\s]*@/);
    expect(args('COPY').filter((copy) => /secrets|\.key|api-token|\.db/.test(copy))).toEqual([]);
  });

  it('.dockerignore keeps dependencies, builds, git, tests, keys, homes and stores out of the build context', () => {
    const ignored = readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'));
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'dist', '.git', 'test', 'bench', 'secrets', '**/.strongroom', '**/*.db*', '**/*.key', '**/api-token']));
  });
});
