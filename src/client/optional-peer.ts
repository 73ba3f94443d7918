import { StrongroomClientError } from './errors.js';

/**
 * The NATS packages are optional peers of `@strongroom/client` (an HTTP client needs neither): loaded
 * only for a `nats://` URL. When one is not installed, Node's "Cannot find package" becomes this error,
 * naming what to install; any other failure to load passes through unchanged.
 * @throws StrongroomClientError MISSING_DEPENDENCY when `loading` failed because `packages` are absent
 */
export const loadOptionalPeer = async <T>(loading: () => Promise<T>, packages: readonly string[]): Promise<T> => {
  try {
    return await loading();
  } catch (e) {
    const { code, message } = (e ?? {}) as { code?: unknown; message?: unknown };
    const missing = (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && typeof message === 'string' && packages.some((p) => message.includes(`'${p}'`) || message.includes(`"${p}"`));
    if (!missing) throw e;
    throw new StrongroomClientError('MISSING_DEPENDENCY', `the NATS transport needs ${packages.join(' and ')}: npm install ${packages.join(' ')}`, undefined, undefined, { cause: e });
  }
};

/** What `nats://` needs beside the client (the optional peer dependencies of @strongroom/client). */
export const NATS_PEERS = ['@nats-io/transport-node', '@nats-io/jetstream'] as const;
