import { Command } from '@nestjs/cqrs';
import type { RequestContext } from '../../../shared/request-context.js';
import type { WriteResult } from '../write-result.js';

/** A new version of an existing secret; with `expectedVersion` it is a check-and-set. */
export class UpdateSecretCommand extends Command<WriteResult> {
  constructor(
    readonly input: {
      readonly ref: unknown;
      readonly value: unknown;
      readonly metadata?: unknown;
      readonly expectedVersion?: unknown;
    },
    readonly context: RequestContext,
  ) {
    super();
  }
}
