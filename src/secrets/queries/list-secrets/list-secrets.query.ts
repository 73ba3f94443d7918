import { Query } from '@nestjs/cqrs';
import type { SecretMetadata } from '../../domain/secret-events.js';

/** Metadata of a live secret. Never a value, never ciphertext. */
export interface SecretSummary {
  readonly id: string;
  readonly name: string;
  readonly version: number;
  readonly keyId: string;
  readonly metadata: SecretMetadata;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly lastRotatedAt: string;
}

export class ListSecretsQuery extends Query<SecretSummary[]> {
  constructor(readonly input: { readonly minPosition?: unknown } = {}) {
    super();
  }
}
