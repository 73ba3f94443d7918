import { Command } from '@nestjs/cqrs';
import type { RequestContext } from '../../../shared/request-context.js';
import type { WriteResult } from '../write-result.js';

/** Store a new secret under a name no live secret holds. Inputs are `unknown`: the handler validates. */
export class StoreSecretCommand extends Command<WriteResult> {
  constructor(
    readonly input: { readonly name: unknown; readonly value: unknown; readonly metadata?: unknown },
    readonly context: RequestContext,
  ) {
    super();
  }
}
