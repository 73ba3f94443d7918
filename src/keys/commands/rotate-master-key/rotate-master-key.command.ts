import { Command } from '@nestjs/cqrs';
import { z } from 'zod';
import type { GatedMessage, Ticket } from '../../../kernel/ticket.js';
import type { RotateMasterKeyResult } from '../../../contracts/keys.js';
export type { RotateMasterKeyResult };

/**
 * The durable steps of a rotation, in order, each reported once it is done (a two-step rotation stops
 * after `started`): `key-written` the new key file exists (nothing recorded yet); `started` the rotation
 * is in the log; `previous-kept` the current key is also in `<file>.previous-<id>`; `swapped` the new
 * key is in the master key file; `completed` the log says so.
 */
export type MasterKeyRotationStep = 'key-written' | 'started' | 'previous-kept' | 'swapped' | 'completed';

export const rotateMasterKeyInput = z
  .object({
    /**
     * Two-step rotation, for a master key Strongroom cannot replace (a mounted secret): the new key is
     * written to this absolute path (which must not exist) for the operator to install. Absent: one step.
     */
    newKeyFile: z.string({ error: 'newKeyFile must be a path' }).min(1).optional(),
    /** Called synchronously after each durable step (progress; crash tests stop a process there). Library and CLI only. */
    onStep: z.custom<(step: MasterKeyRotationStep) => void>((v) => typeof v === 'function', 'onStep must be a function').optional(),
  })
  .strict();

export type RotateMasterKeyInput = z.infer<typeof rotateMasterKeyInput>;

/** A master-key rotation: every key rewrapped under a new master key, in one step or (for mounted keys) two. */
export class RotateMasterKeyCommand extends Command<RotateMasterKeyResult> implements GatedMessage<RotateMasterKeyInput> {
  constructor(
    readonly input: RotateMasterKeyInput,
    readonly ticket: Ticket,
  ) {
    super();
  }
}
