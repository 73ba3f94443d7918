import { Command } from '@nestjs/cqrs';
import { z } from 'zod';
import type { GatedMessage, Ticket } from '../../../kernel/ticket.js';

/**
 * The durable steps of a rotation, in order, each reported once it is done (a two-step rotation stops
 * after `started`): `key-written` the new key file exists (nothing recorded yet); `started` the rotation
 * is in the log; `previous-kept` the current key is also in `<file>.previous-<id>`; `swapped` the new
 * key is in the master key file; `completed` the log says so.
 */
export type MasterKeyRotationStep = 'key-written' | 'started' | 'previous-kept' | 'swapped' | 'completed';

export interface RotateMasterKeyResult {
  /** `completed`: the new key is the store's key; `prepared`: waiting for the operator; `cancelled`. */
  readonly status: 'completed' | 'prepared' | 'cancelled';
  readonly rotationId: string;
  readonly previousMasterKeyId: string;
  /** Key id of the new master key (the cancelled one, for `cancelled`). */
  readonly masterKeyId: string;
  /** Keys wrapped under the new master key: the audit key and every data key, retired ones too (0 when not known here). */
  readonly rewrapped: number;
  /** Where the next start loads the master key from. */
  readonly masterKeyFile: string;
  /** Where this rotation kept the previous master key, when it swapped the files itself; else null. */
  readonly previousKeyFile: string | null;
  /** `prepared`: where the new key was written for the operator to install; else null. */
  readonly newKeyFile: string | null;
  /** Log position of the event that recorded this outcome. */
  readonly position: number;
}

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
