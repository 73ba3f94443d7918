import { CommandHandler } from '@nestjs/cqrs';
import { GatedHandler } from '../../../kernel/gated-handler.js';
import type { Ticket } from '../../../kernel/ticket.js';
import { SecretResolver } from '../../secret-resolver.js';
import { SecretSlots } from '../../secret-slots.js';
import type { WriteResult } from '../../write-result.js';
import { DeleteSecretCommand, type DeleteSecretInput } from './delete-secret.command.js';

@CommandHandler(DeleteSecretCommand)
export class DeleteSecretHandler extends GatedHandler<DeleteSecretCommand, WriteResult> {
  constructor(
    private readonly slots: SecretSlots,
    private readonly resolver: SecretResolver,
  ) {
    super();
  }

  protected async handle(input: DeleteSecretInput, ticket: Ticket): Promise<WriteResult> {
    const { id, name, env, version } = this.resolver.live(input.env, input.ref);
    const { expectedVersion } = input;
    const { position } = await this.slots.write(ticket, env, name, () => ({
      type: 'DeleteSecret',
      data: { secretId: id, ...(expectedVersion !== undefined && { expectedVersion }) },
    }));
    return { id, name, env, version, position };
  }
}
