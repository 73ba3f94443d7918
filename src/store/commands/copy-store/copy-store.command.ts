import { Command } from '@nestjs/cqrs';
import { z } from 'zod';
import type { GatedMessage, Ticket } from '../../../kernel/ticket.js';

export interface CopyStoreResult {
  readonly to: string;
  /** Events copied by this run (a resumed copy counts only what it added). */
  readonly copied: number;
  readonly head: { readonly position: number; readonly hash: string };
}

export interface CopyProgress {
  readonly copied: number;
  readonly total: number;
}

export const copyStoreInput = z
  .object({
    to: z.string({ error: 'the target store URL is required (sqlite:<path> | postgres://… | kurrentdb://…)' }).min(1, 'the target store URL is required'),
    onProgress: z.custom<(progress: CopyProgress) => void>((v) => typeof v === 'function', 'onProgress must be a function').optional(),
  })
  .strict();

export type CopyStoreInput = z.infer<typeof copyStoreInput>;

/**
 * Copies the whole log to another store (`sqlite:…`, `postgres://…`, `kurrentdb://…`), preserving
 * order, positions, ids, digests and hashes, then verifies the copy's chain. A target that already
 * holds a prefix of this log (an interrupted copy) is continued; any other non-empty target is refused.
 */
export class CopyStoreCommand extends Command<CopyStoreResult> implements GatedMessage<CopyStoreInput> {
  constructor(
    readonly input: CopyStoreInput,
    readonly ticket: Ticket,
  ) {
    super();
  }
}
