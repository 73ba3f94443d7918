import { Inject } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import { GatedHandler } from '../../../kernel/gated-handler.js';
import type { Ticket } from '../../../kernel/ticket.js';
import { CLOCK } from '../../../kernel/tokens.js';
import type { Clock } from '../../../shared/clock.js';
import { lifecycleChange } from '../../domain/lifecycle-rules.js';
import { validateMetadata } from '../../domain/secret-rules.js';
import { SecretResolver } from '../../secret-resolver.js';
import { SecretSlots } from '../../secret-slots.js';
import type { WriteResult } from '../../write-result.js';
import { UpdateSecretMetadataCommand, type UpdateSecretMetadataInput } from './update-secret-metadata.command.js';

@CommandHandler(UpdateSecretMetadataCommand)
export class UpdateSecretMetadataHandler extends GatedHandler<UpdateSecretMetadataCommand, WriteResult> {
  constructor(
    private readonly slots: SecretSlots,
    private readonly resolver: SecretResolver,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    super();
  }

  protected async handle(input: UpdateSecretMetadataInput, ticket: Ticket): Promise<WriteResult> {
    const { id, name, env, version } = this.resolver.live(input.env, input.ref);
    const change = lifecycleChange(input, this.clock.now());
    const metadata = input.metadata === undefined ? undefined : validateMetadata(input.metadata);
    const { position } = await this.slots.write(ticket, env, name, () => ({
      type: 'UpdateSecretMetadata',
      data: { secretId: id, ...change, ...(metadata !== undefined && { metadata }) },
    }));
    return { id, name, env, version, position };
  }
}
