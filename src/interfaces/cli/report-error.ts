import { CommanderError } from 'commander';
import { isStrongroomError } from '../../shared/errors.js';
import type { Output } from './output.js';

/** `{"error":{code,message,details?}}`: the shape every failure takes on stdout with --json. */
export const jsonError = (code: string, message: string, details?: Readonly<Record<string, unknown>>): string =>
  `${JSON.stringify({ error: { code, message, ...(details && Object.keys(details).length > 0 && { details }) } })}\n`;

const debugging = (): boolean => ['debug', 'trace'].includes(process.env.STRONGROOM_LOG_LEVEL ?? '');

/**
 * How a failed verb is told. A StrongroomError is expected and explained by its message (which never
 * holds a value or a key), so no stack trace; anything else is a bug, with a stack when debugging.
 */
export const reportError = (error: unknown, output: Output): void => {
  if (error instanceof CommanderError) return; // commander has printed it already (see program.ts)
  if (isStrongroomError(error)) {
    if (output.json) output.writeOut(jsonError(error.code, error.message, error.details));
    else output.writeErr(`strongroom: ${error.message} (${error.code})\n`);
    return;
  }
  const message = `unexpected error: ${error instanceof Error ? error.message : String(error)}`;
  if (output.json) output.writeOut(jsonError('UNEXPECTED', message));
  else output.writeErr(`strongroom: ${message}\n`);
  if (debugging() && error instanceof Error && error.stack) output.writeErr(`${error.stack}\n`);
};
