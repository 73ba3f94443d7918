import { Command } from '@nestjs/cqrs';
import { z } from 'zod';
import type { GatedMessage, Ticket } from '../../../kernel/ticket.js';

export interface RotateMasterKeyResult {
  readonly previousMasterKeyId: string;
  readonly masterKeyId: string;
  readonly rewrapped: number;
  /** Where the previous master key was kept. */
  readonly previousKeyFile: string;
  readonly position: number;
}

export const rotateMasterKeyInput = z.object({}).strict();

export type RotateMasterKeyInput = z.infer<typeof rotateMasterKeyInput>;

/** Rewraps the audit key and the data keys under a freshly generated master key. */
export class RotateMasterKeyCommand extends Command<RotateMasterKeyResult> implements GatedMessage<RotateMasterKeyInput> {
  constructor(
    readonly input: RotateMasterKeyInput,
    readonly ticket: Ticket,
  ) {
    super();
  }
}
