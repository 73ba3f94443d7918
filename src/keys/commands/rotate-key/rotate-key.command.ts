import { Command } from '@nestjs/cqrs';
import type { RequestContext } from '../../../shared/request-context.js';

export interface RotateKeyResult {
  readonly rotationId: string;
  readonly newKeyId: string;
  readonly reEncrypted: number;
  readonly failed: number;
  readonly retiredKeyIds: readonly string[];
  readonly position: number;
}

export interface RotationProgress {
  readonly rotationId: string;
  readonly done: number;
  readonly total: number;
}

/** Creates a new data key and re-encrypts every current secret version under it. */
export class RotateKeyCommand extends Command<RotateKeyResult> {
  constructor(
    readonly context: RequestContext,
    readonly onProgress?: (progress: RotationProgress) => void,
  ) {
    super();
  }
}
