import { Query } from '@nestjs/cqrs';
import type { MasterRotationRecord, RotationRecord } from '../../domain/keyring-state.js';

export interface SecretRotationEntry {
  readonly secretId: string;
  readonly name: string;
  readonly version: number;
  readonly rotatedAt: string;
  readonly actor: string;
}

/** The master key as the log knows it: its key id, every rotation (oldest first) and the pending one's id. */
export interface MasterKeyHistory {
  readonly masterKeyId: string | null;
  readonly pendingRotationId: string | null;
  readonly rotations: readonly MasterRotationRecord[];
}

export type RotationHistory =
  | { readonly kind: 'keys'; readonly rotations: readonly RotationRecord[]; readonly master: MasterKeyHistory }
  | { readonly kind: 'secret'; readonly name: string; readonly rotations: readonly SecretRotationEntry[] };

/** Without a name: data-key and master-key rotations. With a name: that secret's value rotations. */
export class GetRotationHistoryQuery extends Query<RotationHistory> {
  constructor(readonly input: { readonly name?: unknown } = {}) {
    super();
  }
}
