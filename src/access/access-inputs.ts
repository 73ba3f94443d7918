import { z } from 'zod';

/** Principal names: what the log records as the actor. 1-128 of letters, digits, `_ . @ -`. */
export const principalNameInput = z
  .string({ error: 'a principal name is required' })
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.@-]{0,127}$/, 'a principal name is 1-128 letters, digits, "_", ".", "@" or "-", starting with a letter or digit');

export const tokenIdInput = z.string({ error: 'a token id is required' }).regex(/^[0-9a-f]{16}$/, 'a token id is 16 lowercase hex characters');

export const policyNameInput = z.string({ error: 'a policy name is required' }).min(1, 'a policy name is required');

/** `90d`, `12h`, ... (see parseDuration). */
export const durationInput = z.string({ error: 'a duration is text such as 90d or 12h' });
