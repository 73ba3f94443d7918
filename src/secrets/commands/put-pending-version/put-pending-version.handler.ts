import { Inject } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import type { StrongroomOptions } from '../../../config/options.js';
import { GatedHandler } from '../../../kernel/gated-handler.js';
import type { Ticket } from '../../../kernel/ticket.js';
import { OPTIONS } from '../../../kernel/tokens.js';
import { Keyring } from '../../../keys/keyring.js';
import { SecretResolver } from '../../secret-resolver.js';
import { SecretSlots } from '../../secret-slots.js';
import { valueFrom } from '../../value-source.js';
import type { WriteResult } from '../../write-result.js';
import { PutPendingVersionCommand, type PutPendingVersionInput } from './put-pending-version.command.js';

@CommandHandler(PutPendingVersionCommand)
export class PutPendingVersionHandler extends GatedHandler<PutPendingVersionCommand, WriteResult> {
  constructor(
    private readonly slots: SecretSlots,
    private readonly resolver: SecretResolver,
    private readonly keyring: Keyring,
    @Inject(OPTIONS) private readonly options: StrongroomOptions,
  ) {
    super();
  }

  protected async handle(input: PutPendingVersionInput, ticket: Ticket): Promise<WriteResult> {
    const { id, name, env } = this.resolver.live(input.env, input.ref);
    const value = valueFrom(input, this.options.maxValueBytes);
    const { position, state } = await this.slots.write(ticket, env, name, () => ({
      type: 'PutPendingVersion',
      data: { secretId: id, binary: value.binary, ...this.keyring.encrypt(value.bytes, env), ...(value.generated && { generated: true }) },
    }));
    return { id, name, env, version: state.live?.stages.pending ?? 0, position };
  }
}
