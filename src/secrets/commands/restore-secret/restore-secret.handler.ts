import { Inject } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import { GatedHandler } from '../../../kernel/gated-handler.js';
import type { Ticket } from '../../../kernel/ticket.js';
import { CLOCK } from '../../../kernel/tokens.js';
import type { Clock } from '../../../shared/clock.js';
import { SecretResolver } from '../../secret-resolver.js';
import { SecretSlots } from '../../secret-slots.js';
import type { WriteResult } from '../../write-result.js';
import { RestoreSecretCommand, type RestoreSecretInput } from './restore-secret.command.js';

@CommandHandler(RestoreSecretCommand)
export class RestoreSecretHandler extends GatedHandler<RestoreSecretCommand, WriteResult> {
  constructor(
    private readonly slots: SecretSlots,
    private readonly resolver: SecretResolver,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    super();
  }

  protected async handle(input: RestoreSecretInput, ticket: Ticket): Promise<WriteResult> {
    const { id, name, env, version } = this.resolver.holding(input.env, input.ref);
    const { position } = await this.slots.write(ticket, env, name, () => ({ type: 'RestoreSecret', data: { secretId: id, now: this.clock.now().toISOString() } }));
    return { id, name, env, version, position };
  }
}
