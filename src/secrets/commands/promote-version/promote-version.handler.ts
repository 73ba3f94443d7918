import { Inject } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import { GatedHandler } from '../../../kernel/gated-handler.js';
import type { Ticket } from '../../../kernel/ticket.js';
import { EVENT_LOG, type EventLog } from '../../../kernel/tokens.js';
import type { EncryptedValue } from '../../domain/secret.decider.js';
import { validateStage } from '../../domain/secret-stages.js';
import { findVersion } from '../../queries/get-secret/find-version.js';
import { SecretResolver } from '../../secret-resolver.js';
import { SecretSlots } from '../../secret-slots.js';
import { PromoteVersionCommand, type PromoteResult, type PromoteVersionInput } from './promote-version.command.js';

@CommandHandler(PromoteVersionCommand)
export class PromoteVersionHandler extends GatedHandler<PromoteVersionCommand, PromoteResult> {
  constructor(
    private readonly slots: SecretSlots,
    private readonly resolver: SecretResolver,
    @Inject(EVENT_LOG) private readonly log: EventLog,
  ) {
    super();
  }

  protected async handle(input: PromoteVersionInput, ticket: Ticket): Promise<PromoteResult> {
    const live = this.resolver.live(input.env, input.ref);
    const stage = validateStage(input.stage ?? 'current');
    // The promoted version's value is carried by the event (the projection holds only the current one).
    let value: EncryptedValue | undefined;
    if (stage === 'current' && input.version !== live.version && input.version <= live.latestVersion && !live.destroyedVersions.includes(input.version)) {
      value = await findVersion(this.log, live, input.version);
    }
    const before = live.version;
    const { expectedVersion } = input;
    const { position } = await this.slots.write(ticket, live.env, live.name, () => ({
      type: 'PromoteVersion',
      data: { secretId: live.id, version: input.version, stage, ...(value && { value }), ...(expectedVersion !== undefined && { expectedVersion }) },
    }));
    return { id: live.id, name: live.name, env: live.env, version: input.version, position, stage, previousVersion: stage === 'current' && before !== input.version ? before : null };
  }
}
