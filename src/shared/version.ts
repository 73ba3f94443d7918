import { existsSync, readFileSync } from 'node:fs';

/**
 * Strongroom's version, from the package.json beside dist/ and src/ (two levels up from this file in
 * both; three from the benchmarks' dist-bench/src/shared/): the one place it is written.
 */
const packageJson = ['../../package.json', '../../../package.json'].map((p) => new URL(p, import.meta.url)).find((url) => existsSync(url)) ?? new URL('../../package.json', import.meta.url);

export const STRONGROOM_VERSION: string = (JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string }).version;
