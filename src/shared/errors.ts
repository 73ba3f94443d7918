import { ErrorCode } from '../contracts/errors.js';

// The codes are part of the wire contract (src/contracts/errors.ts), which the SDK shares.
export { ErrorCode };

export class StrongroomError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Safe, non-secret structured context (ids, names, versions). */
    readonly details: Readonly<Record<string, unknown>> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StrongroomError';
  }
}

export const isStrongroomError = (e: unknown, code?: ErrorCode): e is StrongroomError =>
  e instanceof StrongroomError && (code === undefined || e.code === code);

export const notImplemented = (what: string): StrongroomError =>
  new StrongroomError(ErrorCode.NotImplemented, `${what} is not implemented`);
