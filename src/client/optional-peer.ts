import { StrongroomClientError } from './errors.js';

/**
 * The NATS packages are optional peers of `@strongroom/client` (an HTTP client needs neither): loaded
 * only for a `nats://` URL. When one of them, or a package one of them needs, cannot be found, Node's
 * "Cannot find package/module" becomes this error, naming what is missing and what to install; any
 * other failure to load passes through unchanged.
 * @throws StrongroomClientError MISSING_DEPENDENCY when `loading` failed because `packages` or their own
 *   dependencies are absent
 */
export const loadOptionalPeer = async <T>(loading: () => Promise<T>, packages: readonly string[]): Promise<T> => {
  try {
    return await loading();
  } catch (e) {
    const missing = missingPackage(e);
    if (missing === null) throw e;
    const install = `npm install ${packages.join(' ')}`;
    if (packages.includes(missing.name)) {
      throw new StrongroomClientError('MISSING_DEPENDENCY', `the NATS transport needs ${packages.join(' and ')}: ${install}`, undefined, undefined, { cause: e });
    }
    // A peer is there but a package it needs, directly or further down, is not (a partial copy, a pruned
    // install): nothing else is loaded here, so whatever is missing is theirs.
    throw new StrongroomClientError('MISSING_DEPENDENCY', `the NATS transport's packages are installed incompletely: ${missing.name} (which they need) is missing; reinstall them: ${install}`, undefined, undefined, { cause: e });
  }
};

/** What `nats://` needs beside the client (the optional peer dependencies of @strongroom/client). */
export const NATS_PEERS = ['@nats-io/transport-node', '@nats-io/jetstream'] as const;

/**
 * The NATS transport module, loaded on first use of a `nats://` URL.
 * @throws StrongroomClientError MISSING_DEPENDENCY when the NATS packages, or packages they need, are absent
 */
export const loadNatsTransport = (): Promise<typeof import('./nats-transport.js')> =>
  loadOptionalPeer(async () => {
    // The CommonJS package first, on its own: when it fails to load inside the static import of the
    // module below, Node 20 rejects that import AND raises the same error again as an uncaught
    // exception, which killed the caller's process. Imported directly, it only rejects.
    await import('@nats-io/transport-node');
    return import('./nats-transport.js');
  }, NATS_PEERS);

/**
 * The package a module-not-found error names (`@scope/name` or `name`, without a subpath such as
 * `@nats-io/nats-core/internal`); null for any other error. Node words it "Cannot find package 'x'
 * imported from /path" (ESM) or "Cannot find module 'x'" (CommonJS).
 */
const missingPackage = (e: unknown): { name: string } | null => {
  const { code, message } = (e ?? {}) as { code?: unknown; message?: unknown };
  if ((code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') || typeof message !== 'string') return null;
  const specifier = /Cannot find (?:package|module) '([^']+)'/.exec(message)?.[1];
  if (specifier === undefined || specifier.startsWith('.') || specifier.startsWith('/')) return null;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string);
  return { name };
};
