import { Inject } from '@nestjs/common';
import { QueryHandler } from '@nestjs/cqrs';
import { GatedHandler } from '../../../kernel/gated-handler.js';
import type { Ticket } from '../../../kernel/ticket.js';
import { EVENT_LOG, type EventLog } from '../../../kernel/tokens.js';
import { Keyring } from '../../../keys/keyring.js';
import { SCHEMA_VERSIONS } from '../../domain/secret-events.js';
import { secretAccessed } from '../../secret-access.js';
import { SecretResolver } from '../../secret-resolver.js';
import { accessStream } from '../../secret-streams.js';
import { findVersion } from './find-version.js';
import { GetSecretQuery, type GetSecretInput, type SecretRead } from './get-secret.query.js';

/**
 * Audited read, failing closed: decrypt, make the SecretAccessed event (naming the rule that allowed
 * it) durable, and only then return the value. If the access cannot be recorded, no value leaves here.
 */
@QueryHandler(GetSecretQuery)
export class GetSecretHandler extends GatedHandler<GetSecretQuery, SecretRead> {
  constructor(
    @Inject(EVENT_LOG) private readonly log: EventLog,
    private readonly resolver: SecretResolver,
    private readonly keyring: Keyring,
  ) {
    super();
  }

  protected async handle(input: GetSecretInput, ticket: Ticket): Promise<SecretRead> {
    await this.resolver.waitForMinPosition(input.minPosition);
    const live = this.resolver.live(input.env, input.ref);
    const version = input.version ?? live.version;
    const stored = version === live.version ? live : await findVersion(this.log, live, version);
    const bytes = this.keyring.decrypt(stored.ciphertext, stored.keyId, live.env);
    const accessPosition = await ticket.record(accessStream(live.id), [secretAccessed(live, version, ticket.decision)], SCHEMA_VERSIONS, false);
    return { id: live.id, name: live.name, env: live.env, version, bytes, binary: stored.binary, accessPosition };
  }
}
