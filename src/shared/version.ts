import { readFileSync } from 'node:fs';

/**
 * Strongroom's version, from the package.json beside dist/ and src/ (two levels up from this file in
 * both): the one place it is written.
 */
export const STRONGROOM_VERSION: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
