import { Inject } from '@nestjs/common';
import { QueryHandler } from '@nestjs/cqrs';
import { CLOCK } from '../../../kernel/tokens.js';
import type { Clock } from '../../../shared/clock.js';
import { GatedHandler } from '../../../kernel/gated-handler.js';
import type { Ticket } from '../../../kernel/ticket.js';
import { Keyring } from '../../../keys/keyring.js';
import { StrongroomProjection } from '../../../projection/strongroom-projection.js';
import { SCHEMA_VERSIONS } from '../../domain/secret-events.js';
import type { LiveSecret } from '../../domain/secret-slot.js';
import { refuseUnreadable, secretAccessed } from '../../secret-access.js';
import { refuseUnknownEnvironment, SecretResolver } from '../../secret-resolver.js';
import { accessStream } from '../../secret-streams.js';
import { ExportSecretsQuery, type ExportedSecret, type ExportSecretsInput, type SecretExport } from './export-secrets.query.js';

const byName = (a: LiveSecret, b: LiveSecret): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * All or nothing, failing closed: choose the secrets, check `read` on each (a refusal is recorded and
 * refuses the whole export), refuse an expired one (as GetSecret does), decrypt every value, make one SecretAccessed per secret durable, and only
 * then return the values.
 */
@QueryHandler(ExportSecretsQuery)
export class ExportSecretsHandler extends GatedHandler<ExportSecretsQuery, SecretExport> {
  constructor(
    private readonly projection: StrongroomProjection,
    private readonly resolver: SecretResolver,
    private readonly keyring: Keyring,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    super();
  }

  protected async handle(input: ExportSecretsInput, ticket: Ticket): Promise<SecretExport> {
    await this.resolver.waitForMinPosition(input.minPosition);
    const { env } = input;
    refuseUnknownEnvironment(this.projection, env);
    const chosen = input.names ? await this.named(env, input.names, ticket) : await this.underPrefix(env, input.prefix ?? '', ticket);
    const now = this.clock.now();
    for (const live of chosen) refuseUnreadable(live, live.version, now, live.name);
    const secrets: ExportedSecret[] = chosen.map((live) => ({
      id: live.id,
      name: live.name,
      version: live.version,
      bytes: this.keyring.decrypt(live.ciphertext, live.keyId, live.env),
      binary: live.binary,
    }));
    // Appended together, so the store commits them as one batch (group commit), not one fsync each.
    const positions = await Promise.all(
      chosen.map((live) => ticket.record(accessStream(live.id), [secretAccessed(live, live.version, ticket.decision)], SCHEMA_VERSIONS, false)),
    );
    return { env, secrets, accessPosition: Math.max(0, ...positions) };
  }

  /** Each name must be readable (checked before it is looked up, so a refusal does not reveal existence). */
  private async named(env: string, names: readonly string[], ticket: Ticket): Promise<LiveSecret[]> {
    const out = new Map<string, LiveSecret>();
    for (const name of names) {
      const resource = { env, secret: this.resolver.secretNameOf(env, name) ?? name };
      const decision = ticket.authorise('read', resource);
      if (!decision.allowed) await ticket.deny('read', resource, decision);
      const live = this.resolver.live(env, name);
      out.set(live.id, live);
    }
    return [...out.values()].sort(byName);
  }

  /** What the caller may list under the prefix; every one of those must also be readable. */
  private async underPrefix(env: string, prefix: string, ticket: Ticket): Promise<LiveSecret[]> {
    const out: LiveSecret[] = [];
    for (const live of this.projection.liveSecrets(env)) {
      if (!live.name.startsWith(prefix)) continue;
      const resource = { env, secret: live.name };
      if (!ticket.authorise('list', resource).allowed) continue;
      const decision = ticket.authorise('read', resource);
      if (!decision.allowed) await ticket.deny('read', resource, decision);
      out.push(live);
    }
    return out.sort(byName);
  }
}
