import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { CLOCK, EVENT_STORE } from '../../../app/tokens.js';
import { toNewEvents } from '../../../app/new-events.js';
import type { EventStore } from '../../../event-store/event-store.port.js';
import { Keyring } from '../../../keys/keyring.js';
import type { Clock } from '../../../shared/clock.js';
import { ErrorCode, StrongroomError } from '../../../shared/errors.js';
import { SCHEMA_VERSIONS, type SecretAccessedEvent } from '../../domain/secret-events.js';
import { SecretResolver } from '../../secret-resolver.js';
import { accessStream } from '../../secret-streams.js';
import { findVersion } from './find-version.js';
import { GetSecretQuery, type SecretValue } from './get-secret.query.js';

/**
 * Audited read, failing closed: decrypt, make the SecretAccessed event durable, and only then return
 * the value. If the access cannot be recorded the append throws and no value leaves this handler.
 */
@QueryHandler(GetSecretQuery)
export class GetSecretHandler implements IQueryHandler<GetSecretQuery> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly resolver: SecretResolver,
    private readonly keyring: Keyring,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ input, context }: GetSecretQuery): Promise<SecretValue> {
    await this.resolver.waitForMinPosition(input.minPosition);
    const version = parseVersion(input.version);
    const live = this.resolver.live(input.ref);
    const { ciphertext, keyId } =
      version === undefined || version === live.version ? live : await findVersion(this.store, live, version);
    const value = this.keyring.decrypt(ciphertext, keyId);
    const accessed: SecretAccessedEvent = {
      type: 'SecretAccessed',
      data: { secretId: live.id, name: live.name, version: version ?? live.version },
    };
    const { position } = await this.store.appendToStream(
      accessStream(live.id),
      toNewEvents([accessed], SCHEMA_VERSIONS, context, this.clock),
      { expectedRevision: 'any' },
    );
    return { id: live.id, name: live.name, version: version ?? live.version, value, accessPosition: position };
  }
}

const parseVersion = (raw: unknown): number | undefined => {
  if (raw === undefined || raw === null || raw === '') return undefined;
  const n = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1) {
    throw new StrongroomError(ErrorCode.InvalidInput, 'version must be a positive integer');
  }
  return n;
};
