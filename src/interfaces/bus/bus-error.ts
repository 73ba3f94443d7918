import { isStrongroomError } from '../../shared/errors.js';

/** A bus reply: the use case's result, or its failure with the same codes as HTTP. */
export type BusReply = { readonly result: unknown } | { readonly error: { readonly code: string; readonly message: string } };

/**
 * The one place the bus turns failures into replies: a StrongroomError keeps its code and message (the
 * messages carry no secret value); anything else is INTERNAL_ERROR with no detail, as on HTTP (a bug's
 * message might quote input).
 */
export const toBusError = (e: unknown): BusReply => {
  if (isStrongroomError(e)) return { error: { code: e.code, message: e.message } };
  return { error: { code: 'INTERNAL_ERROR', message: 'internal error' } };
};
