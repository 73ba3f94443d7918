import { StoreUnavailableError } from '../event-store.port.js';

/**
 * A failure of the database or of the way to it, as opposed to an error of ours (a revision conflict,
 * a sealer without its key). Every pg call goes through `pgCall`, so a catch block can tell the two apart.
 */
export class PgFailure extends Error {
  constructor(readonly original: unknown) {
    super(describePgError(original), { cause: original });
    this.name = 'PgFailure';
  }

  /** SQLSTATE when the server answered with an error; undefined for socket errors and timeouts. */
  get sqlState(): string | undefined {
    const e = this.original as { code?: unknown; severity?: unknown };
    return typeof e === 'object' && e !== null && typeof e.severity === 'string' && typeof e.code === 'string' ? e.code : undefined;
  }

  /**
   * True when the server itself rejected the statement (bad input, a constraint, permissions): the
   * connection works and the transaction is known to have failed. False when the connection broke, timed
   * out or the server is shutting down: then the outcome of a COMMIT in flight is unknown.
   */
  get isStatementError(): boolean {
    const state = this.sqlState;
    if (state === undefined) return false;
    // 08 connection exception, 53 insufficient resources, 57 operator intervention (shutdown, statement
    // timeout), 58 system error; 55P03 lock timeout; 25P03 idle-in-transaction timeout.
    return !['08', '53', '57', '58'].includes(state.slice(0, 2)) && state !== '55P03' && state !== '25P03';
  }

  /**
   * True when the connection this call used had been closed under it (the server or an administrator
   * terminated it while it sat idle in the pool, or its socket was reset), as opposed to a server that
   * cannot be reached or stopped answering. The pool notices such a connection only when it is used,
   * so another attempt on another connection is worth making; it fails fast if the server is really
   * gone. Timeouts are excluded: repeating those would only multiply the wait.
   */
  get isConnectionLost(): boolean {
    const state = this.sqlState;
    if (state !== undefined) return state === '57P01' || state === '57P02';
    const { code, message } = this.original as { code?: unknown; message?: unknown };
    if (code === 'ECONNRESET' || code === 'EPIPE') return true;
    return typeof message === 'string' && /^Connection terminated unexpectedly|^Client has encountered a connection error|^Connection terminated$/.test(message);
  }
}

/** Short, credential-free: SQLSTATE or socket code, and the driver's message (which names no values). */
export const describePgError = (e: unknown): string => {
  if (typeof e !== 'object' || e === null) return String(e);
  const { code, message } = e as { code?: unknown; message?: unknown };
  const text = typeof message === 'string' && message.length > 0 ? message : 'unknown error';
  return typeof code === 'string' ? `${code}: ${text}` : text;
};

/** Runs one driver call; whatever it throws becomes a PgFailure. */
export const pgCall = async <T>(call: () => Promise<T>): Promise<T> => {
  try {
    return await call();
  } catch (e) {
    throw e instanceof PgFailure ? e : new PgFailure(e);
  }
};

export const unavailable = (e: unknown, consequence: string): StoreUnavailableError =>
  new StoreUnavailableError(`PostgreSQL event store unavailable (${e instanceof PgFailure ? e.message : describePgError(e)}); ${consequence}`, {
    cause: e instanceof PgFailure ? e.original : e,
  });
