import { Command } from '@nestjs/cqrs';
import type { RequestContext } from '../../../shared/request-context.js';

export interface RotateMasterKeyResult {
  readonly previousMasterKeyId: string;
  readonly masterKeyId: string;
  readonly rewrapped: number;
  /** Where the previous master key was kept; destroying it crypto-shreds history under retired data keys. */
  readonly previousKeyFile: string;
  readonly position: number;
}

/** Rewraps the audit key and every live data key under a freshly generated master key. */
export class RotateMasterKeyCommand extends Command<RotateMasterKeyResult> {
  constructor(readonly context: RequestContext) {
    super();
  }
}
