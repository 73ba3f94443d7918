import { Command } from '@nestjs/cqrs';
import type { RequestContext } from '../../../shared/request-context.js';
import type { WriteResult } from '../write-result.js';

/** A new value recorded as a rotation: the old version stays in history, the key age restarts. */
export class RotateSecretCommand extends Command<WriteResult> {
  constructor(
    readonly input: { readonly ref: unknown; readonly value: unknown; readonly expectedVersion?: unknown },
    readonly context: RequestContext,
  ) {
    super();
  }
}
