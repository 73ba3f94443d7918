import { ErrorCode, StrongroomError } from '../../shared/errors.js';

/** Where the KurrentDB adapter connects and which log stream it owns. */
export interface KurrentDbLocation {
  /** What `KurrentDBClient.connectionString` receives: our own `prefix` parameter removed. */
  readonly connectionString: string;
  /** Strongroom's stream-name prefix on that server (URL parameter `prefix`, default `strongroom`). */
  readonly prefix: string;
  /** The one KurrentDB stream holding every Strongroom event in global order: `<prefix>-log`. */
  readonly logStream: string;
}

export const DEFAULT_PREFIX = 'strongroom';

const SCHEME = /^(kurrentdb|kdb|esdb)(\+discover)?:\/\//i;
/** Safe inside a KurrentDB stream name and never a system (`$`) stream. */
const PREFIX = /^[A-Za-z0-9][A-Za-z0-9_.]*(?:-[A-Za-z0-9_.]+)*$/;

const invalid = (message: string): StrongroomError => new StrongroomError(ErrorCode.InvalidInput, message);

/** True for the URL schemes this adapter serves. */
export const isKurrentDbUrl = (url: string): boolean => SCHEME.test(url);

/**
 * Turns a store URL (`kurrentdb://`, `kdb://` or `esdb://`, each optionally `+discover`) into the
 * client's connection string and our log stream name. The 1.3 client accepts all of these schemes
 * itself, but warns that `esdb` is deprecated; we hand it `kurrentdb` so the warning never reaches an
 * operator. Our `prefix` parameter is removed because the client does not know it (it would warn and
 * ignore it); every other parameter (`tls`, `defaultDeadline`, credentials, hosts...) passes through.
 */
export const parseKurrentDbUrl = (url: string): KurrentDbLocation => {
  const trimmed = url.trim();
  const scheme = SCHEME.exec(trimmed);
  if (!scheme) throw invalid('a KurrentDB store URL starts with kurrentdb://, kdb:// or esdb://');
  const rest = trimmed.slice(scheme[0].length);
  const question = rest.indexOf('?');
  const authority = (question === -1 ? rest : rest.slice(0, question)).replace(/\/+$/, '');
  if (authority.length === 0) throw invalid('a KurrentDB store URL needs a host: kurrentdb://host:2113?tls=false');
  let prefix = DEFAULT_PREFIX;
  const kept: string[] = [];
  if (question !== -1) {
    for (const pair of rest.slice(question + 1).split('&')) {
      if (pair.length === 0) continue;
      const eq = pair.indexOf('=');
      const key = eq === -1 ? pair : pair.slice(0, eq);
      if (key.toLowerCase() !== 'prefix') {
        kept.push(pair);
        continue;
      }
      prefix = decodeURIComponent(eq === -1 ? '' : pair.slice(eq + 1));
    }
  }
  if (!PREFIX.test(prefix)) {
    throw invalid(`invalid KurrentDB stream prefix "${prefix}": use letters, digits, '_', '.' and single '-'`);
  }
  const discover = scheme[2] ?? '';
  const query = kept.length > 0 ? `?${kept.join('&')}` : '';
  return { connectionString: `kurrentdb${discover.toLowerCase()}://${authority}${query}`, prefix, logStream: `${prefix}-log` };
};
