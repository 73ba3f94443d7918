import { Query } from '@nestjs/cqrs';

/** One change of a secret, without its value or ciphertext. */
export interface SecretHistoryEntry {
  readonly position: number;
  readonly type: string;
  readonly version: number;
  readonly keyId: string | null;
  readonly actor: string;
  readonly interface: string;
  readonly occurredAt: string;
}

export class GetSecretHistoryQuery extends Query<{ id: string; name: string; entries: SecretHistoryEntry[] }> {
  constructor(readonly input: { readonly ref: unknown }) {
    super();
  }
}
