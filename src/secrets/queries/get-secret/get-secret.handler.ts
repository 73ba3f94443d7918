import { Inject } from '@nestjs/common';
import { QueryHandler } from '@nestjs/cqrs';
import { GatedHandler } from '../../../kernel/gated-handler.js';
import type { Ticket } from '../../../kernel/ticket.js';
import { CLOCK, EVENT_LOG, type EventLog } from '../../../kernel/tokens.js';
import type { Clock } from '../../../shared/clock.js';
import { ErrorCode, StrongroomError } from '../../../shared/errors.js';
import { isExpired, type LiveSecret } from '../../domain/secret-slot.js';
import { validateStage } from '../../domain/secret-stages.js';
import { Keyring } from '../../../keys/keyring.js';
import { SCHEMA_VERSIONS } from '../../domain/secret-events.js';
import { refuseUnreadable, secretAccessed } from '../../secret-access.js';
import { SecretResolver } from '../../secret-resolver.js';
import { accessStream } from '../../secret-streams.js';
import { findVersion } from './find-version.js';
import { readPastValue } from './historical-read.js';
import { PointInTime, type AtInput } from '../../../compliance/point-in-time.js';
import { StrongroomProjection } from '../../../projection/strongroom-projection.js';
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
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly moments: PointInTime,
    private readonly projection: StrongroomProjection,
  ) {
    super();
  }

  protected async handle(input: GetSecretInput, ticket: Ticket): Promise<SecretRead> {
    await this.resolver.waitForMinPosition(input.minPosition);
    if (input.at !== undefined) return this.readAsOf(input, input.at, ticket);
    const live = this.resolver.live(input.env, input.ref);
    const version = versionAsked(live, input);
    refuseUnreadable(live, version, this.clock.now(), input.ref);
    const stored = version === live.version ? live : await findVersion(this.log, live, version);
    const bytes = this.keyring.decrypt(stored.ciphertext, stored.keyId, live.env);
    const accessPosition = await ticket.record(accessStream(live.id), [secretAccessed(live, version, ticket.decision)], SCHEMA_VERSIONS, false);
    return { id: live.id, name: live.name, env: live.env, version, stages: stagesOf(live, version), bytes, binary: stored.binary, accessPosition };
  }

  /** A historical read: the value as it was at `at`, recorded as an access naming that position (`asOf`). */
  private async readAsOf(input: GetSecretInput, at: AtInput, ticket: Ticket): Promise<SecretRead> {
    const moment = await this.moments.resolve(at);
    const { live, version, stored } = await readPastValue(this.log, this.projection, input.env, input.ref, moment, (then) => versionAsked(then, input));
    // The past is read only of a secret readable now: deleting, purging or expiring it closes its
    // history to readers too (only a restore within the recovery window reopens it).
    this.refuseClosedNow(live, input.ref);
    const bytes = this.keyring.decrypt(stored.ciphertext, stored.keyId, live.env);
    const accessPosition = await ticket.record(accessStream(live.id), [secretAccessed(live, version, ticket.decision, moment.position)], SCHEMA_VERSIONS, false);
    return { id: live.id, name: live.name, env: live.env, version, stages: stagesOf(live, version), bytes, binary: stored.binary, accessPosition, asOf: moment.position };
  }

  /**
   * @throws SECRET_NOT_FOUND when the secret `then` was is purged now (deleted for good), SECRET_DELETED
   *   while it is deleted within its recovery window, SECRET_EXPIRED once it has expired.
   */
  private refuseClosedNow(then: LiveSecret, ref: string): void {
    const now = this.projection.liveById(then.id);
    if (!now) {
      throw new StrongroomError(ErrorCode.SecretNotFound, `secret ${ref} was deleted for good; its past values are no longer readable`, { ref, env: then.env });
    }
    if (now.deletedAt !== null) {
      throw new StrongroomError(ErrorCode.SecretDeleted, `secret ${ref} is deleted; restore it (until ${now.purgeAt}) to read its past values`, { ref, env: now.env, purgeAt: now.purgeAt });
    }
    if (isExpired(now, this.clock.now())) {
      throw new StrongroomError(ErrorCode.SecretExpired, `secret ${ref} expired at ${now.expiresAt}; its past values are no longer readable`, { ref, expiresAt: now.expiresAt });
    }
  }
}

/** The version a read asks for: by number, by stage, or the current one. @throws INVALID_INPUT, SECRET_NOT_FOUND */
const versionAsked = (live: LiveSecret, input: GetSecretInput): number => {
  if (input.stage === undefined) return input.version ?? live.version;
  if (input.version !== undefined) throw new StrongroomError(ErrorCode.InvalidInput, 'give either a version or a stage, not both');
  const stage = validateStage(input.stage);
  const version = stage === 'current' ? live.version : live.stages[stage];
  if (version === undefined) throw new StrongroomError(ErrorCode.SecretNotFound, `no version of secret ${live.name} has the stage ${stage}`, { stage });
  return version;
};

/** Every stage label on `version`, `current` first. */
export const stagesOf = (live: LiveSecret, version: number): string[] => [
  ...(version === live.version ? ['current'] : []),
  ...Object.entries(live.stages)
    .filter(([, v]) => v === version)
    .map(([stage]) => stage)
    .sort(),
];
