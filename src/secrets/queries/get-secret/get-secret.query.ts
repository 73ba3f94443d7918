import { Query } from '@nestjs/cqrs';
import type { RequestContext } from '../../../shared/request-context.js';

export interface SecretValue {
  readonly id: string;
  readonly name: string;
  readonly version: number;
  readonly value: string;
  /** Log position of the durable SecretAccessed event that recorded this read. */
  readonly accessPosition: number;
}

/**
 * An audited read: the value is returned only after a SecretAccessed event is durable.
 * `ref` is a secret id or a name; `minPosition` waits (briefly) until this process has applied that
 * log position, so a caller reads its own writes on any replica.
 */
export class GetSecretQuery extends Query<SecretValue> {
  constructor(
    readonly input: { readonly ref: unknown; readonly version?: unknown; readonly minPosition?: unknown },
    readonly context: RequestContext,
  ) {
    super();
  }
}
