import { Inject } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import { GatedHandler } from '../../../kernel/gated-handler.js';
import type { Ticket } from '../../../kernel/ticket.js';
import { CLOCK } from '../../../kernel/tokens.js';
import type { Clock } from '../../../shared/clock.js';
import { DEFAULT_RECOVERY_DAYS } from '../../domain/secret-lifecycle.js';
import { SecretResolver } from '../../secret-resolver.js';
import { SecretSlots } from '../../secret-slots.js';
import { DeleteSecretCommand, type DeleteResult, type DeleteSecretInput } from './delete-secret.command.js';

@CommandHandler(DeleteSecretCommand)
export class DeleteSecretHandler extends GatedHandler<DeleteSecretCommand, DeleteResult> {
  constructor(
    private readonly slots: SecretSlots,
    private readonly resolver: SecretResolver,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    super();
  }

  protected async handle(input: DeleteSecretInput, ticket: Ticket): Promise<DeleteResult> {
    // A secret in its recovery window may be deleted again with --force (purged now); otherwise it is SECRET_DELETED.
    const { id, name, env, version } = input.force === true ? this.resolver.holding(input.env, input.ref) : this.resolver.live(input.env, input.ref);
    const { expectedVersion } = input;
    const { position, state } = await this.slots.write(ticket, env, name, () => ({
      type: 'DeleteSecret',
      data: {
        secretId: id,
        now: this.clock.now().toISOString(),
        recoveryDays: input.recoveryDays ?? DEFAULT_RECOVERY_DAYS,
        ...(input.force === true && { force: true }),
        ...(expectedVersion !== undefined && { expectedVersion }),
      },
    }));
    const purgeAt = state.live?.id === id ? state.live.purgeAt : null;
    return { id, name, env, version, position, purgeAt };
  }
}
