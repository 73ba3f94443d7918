import type { Caller } from '../kernel/caller.js';
import { systemCaller } from '../kernel/caller.js';
import type { WritePath } from '../kernel/write-path.js';
import type { Logger } from '../shared/logger.js';

/** Why a presented credential was refused. Never the credential itself. */
export type AuthenticationFailure = 'missing' | 'malformed' | 'unknown' | 'expired' | 'revoked';

export interface AuthenticationFailedData {
  readonly interface: Caller['interface'];
  readonly reason: AuthenticationFailure;
  /** The token id the credential named, when it named one (an id is not a secret). */
  readonly tokenId: string | null;
  /** The client's address as the interface saw it (HTTP: the socket's remote address). */
  readonly client: string | null;
  /** How many failures of this kind this event stands for. */
  readonly count: number;
  /** ISO-8601: the first and last failure it counts. */
  readonly firstAt: string;
  readonly lastAt: string;
}

export const AUTHENTICATION_SCHEMA_VERSIONS: Readonly<Record<string, number>> = { AuthenticationFailed: 1 };
export const AUTHENTICATION_STREAM = 'access-authn';

interface Window {
  readonly data: Omit<AuthenticationFailedData, 'count' | 'firstAt' | 'lastAt'>;
  firstAt: string;
  lastAt: string;
  /** Failures since the last event recorded for this key. */
  pending: number;
}

/** Distinct (interface, reason, token, client) keys tracked per window; more are counted under one key. */
const MAX_KEYS = 1_000;

/**
 * Failed authentication is evidence (PCI DSS 10.2.1.4: invalid logical access attempts), but a flood of
 * bad tokens must not flood the log. The first failure of each kind (interface, reason, token id,
 * client) in a window is recorded at once; repeats are counted and recorded as one event with their
 * count when the window closes. So N bad requests from one client cost two events per window, not N.
 */
export class FailedAuthentications {
  private windows = new Map<string, Window>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly writePath: WritePath,
    private readonly now: () => Date,
    private readonly logger: Logger,
    /** Length of a counting window (ms). */
    private readonly windowMs = 60_000,
  ) {}

  record(failure: Omit<AuthenticationFailedData, 'count' | 'firstAt' | 'lastAt'>): void {
    const at = this.now().toISOString();
    const many = this.windows.size >= MAX_KEYS;
    const data = many ? { ...failure, tokenId: null, client: 'many' } : failure;
    const key = `${data.interface}\u0000${data.reason}\u0000${data.tokenId ?? ''}\u0000${data.client ?? ''}`;
    const window = this.windows.get(key);
    if (window) {
      window.pending++;
      window.lastAt = at;
      return;
    }
    this.windows.set(key, { data, firstAt: at, lastAt: at, pending: 0 });
    this.append({ ...data, count: 1, firstAt: at, lastAt: at });
    this.timer ??= setTimeout(() => this.flush(), this.windowMs).unref();
  }

  /** Records what the open windows counted and starts new ones (also called on shutdown). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const closing = [...this.windows.values()];
    this.windows = new Map();
    const writes = closing.filter((w) => w.pending > 0).map((w) => this.append({ ...w.data, count: w.pending, firstAt: w.firstAt, lastAt: w.lastAt }));
    return Promise.all(writes).then(() => undefined);
  }

  private append(data: AuthenticationFailedData): Promise<void> {
    return this.writePath
      .record(AUTHENTICATION_STREAM, [{ type: 'AuthenticationFailed', data }], AUTHENTICATION_SCHEMA_VERSIONS, systemCaller('authentication'), false)
      .then(
        () => undefined,
        // The refusal itself stands; a store that cannot take the evidence is logged, not thrown at the caller.
        (e: unknown) => this.logger.warn({ code: (e as { code?: string }).code ?? 'UNEXPECTED' }, 'could not record a failed authentication'),
      );
  }
}
