import { Command } from '@nestjs/cqrs';
import type { RequestContext } from '../../../shared/request-context.js';
import type { WriteResult } from '../write-result.js';

/** Deletes a live secret; its history stays in the log and its name becomes free. */
export class DeleteSecretCommand extends Command<WriteResult> {
  constructor(
    readonly input: { readonly ref: unknown; readonly expectedVersion?: unknown },
    readonly context: RequestContext,
  ) {
    super();
  }
}
