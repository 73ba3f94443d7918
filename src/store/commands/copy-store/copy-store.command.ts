import { Command } from '@nestjs/cqrs';
import type { RequestContext } from '../../../shared/request-context.js';

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

/**
 * Copies the whole log to another store (`sqlite:…`, `postgres://…`, `kurrentdb://…`), preserving
 * order, positions, ids, digests and hashes, then verifies the copy's chain. A target that already
 * holds a prefix of this log (an interrupted copy) is continued; any other non-empty target is refused.
 */
export class CopyStoreCommand extends Command<CopyStoreResult> {
  constructor(
    readonly input: { readonly to: unknown },
    readonly context: RequestContext,
    readonly onProgress?: (progress: CopyProgress) => void,
  ) {
    super();
  }
}
