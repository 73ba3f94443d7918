import { Query } from '@nestjs/cqrs';
import type { RotationRecord } from '../../domain/keyring-state.js';

export interface SecretRotationEntry {
  readonly secretId: string;
  readonly name: string;
  readonly version: number;
  readonly rotatedAt: string;
  readonly actor: string;
}

export type RotationHistory =
  | { readonly kind: 'keys'; readonly rotations: readonly RotationRecord[] }
  | { readonly kind: 'secret'; readonly name: string; readonly rotations: readonly SecretRotationEntry[] };

/** Without a name: data-key rotations. With a name: that secret's value rotations. */
export class GetRotationHistoryQuery extends Query<RotationHistory> {
  constructor(readonly input: { readonly name?: unknown } = {}) {
    super();
  }
}
