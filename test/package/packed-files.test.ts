import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packedFiles, REPO_ROOT, type PackedFile } from './npm.js';

/**
 * The published package: what `npm pack` ships is the compiled code, the launcher, README and LICENSE
 * (npm adds package.json itself), never tests, benchmarks, TypeScript sources or docs; every file that
 * package.json points at is in it. Needs dist/ (npm test builds it first).
 */
interface Manifest {
  readonly private?: boolean;
  readonly main: string;
  readonly types: string;
  readonly bin: Record<string, string>;
  readonly exports: Record<string, { readonly types: string; readonly default: string }>;
}

const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as Manifest;
const relative = (target: string): string => target.replace(/^\.\//, '');

describe('npm pack', () => {
  let files: readonly PackedFile[];
  let paths: Set<string>;
  beforeAll(async () => {
    if (!existsSync(join(REPO_ROOT, 'dist', 'index.js'))) throw new Error('dist/ is missing: run `npm run build` first');
    files = await packedFiles();
    paths = new Set(files.map((file) => file.path));
  });

  it('ships dist/, bin/, README.md, LICENSE and package.json, and nothing else at the top level', () => {
    expect(new Set(files.map((file) => file.path.split('/')[0]))).toEqual(new Set(['dist', 'bin', 'README.md', 'LICENSE', 'package.json']));
    expect([...paths].filter((path) => path.startsWith('bin/'))).toEqual(['bin/strongroom.js']);
  });

  it('ships compiled JavaScript, declarations and source maps only: no tests, benchmarks or TypeScript sources', () => {
    const inDist = [...paths].filter((path) => path.startsWith('dist/'));
    expect(inDist.length).toBeGreaterThan(100);
    // The web console's bundle (Vite's output: one page, its script and stylesheet) is served from dist/ui.
    expect(inDist.filter((path) => !/\.(js|d\.ts|js\.map)$/.test(path) && !/^dist\/ui\/(index\.html|assets\/[\w-]+\.css)$/.test(path))).toEqual([]);
    expect(paths.has('dist/ui/index.html')).toBe(true);
    expect([...paths].filter((path) => /(^|\/)(test|tests|bench|src|docs|\.ci)\//.test(path) || /\.test\.|\.spec\./.test(path))).toEqual([]);
    expect([...paths].filter((path) => path.endsWith('.ts') && !path.endsWith('.d.ts'))).toEqual([]);
  });

  it('is publishable: not private; main, types and the `strongroom` export are shipped; the launcher is executable', () => {
    expect(manifest.private).not.toBe(true);
    const root = manifest.exports['.'];
    expect(root).toEqual({ types: './dist/index.d.ts', default: './dist/index.js' });
    for (const target of [manifest.main, manifest.types, root?.types ?? '', root?.default ?? '']) expect(paths).toContain(relative(target));
    expect(manifest.bin).toEqual({ strongroom: 'bin/strongroom.js' });
    expect((files.find((file) => file.path === 'bin/strongroom.js')?.mode ?? 0) & 0o111).toBe(0o111);
  });

  // The client SDK (src/client/) lands with the bus work: until it does, this fails, loudly and rightly.
  it('ships the `strongroom/client` export: the SDK and its declarations', () => {
    const client = manifest.exports['./client'];
    expect(client).toEqual({ types: './dist/client/index.d.ts', default: './dist/client/index.js' });
    const shipped = [...paths].filter((path) => path.startsWith('dist/client/'));
    expect(shipped).toEqual(expect.arrayContaining([relative(client?.default ?? ''), relative(client?.types ?? '')]));
  });

  it('exports nothing but the package root and the client', () => {
    expect(Object.keys(manifest.exports).sort()).toEqual(['.', './client']);
  });
});
