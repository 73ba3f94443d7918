import { Inject } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import type { StrongroomOptions } from '../../../config/options.js';
import { GatedHandler } from '../../../kernel/gated-handler.js';
import type { Ticket } from '../../../kernel/ticket.js';
import { OPTIONS } from '../../../kernel/tokens.js';
import { Keyring } from '../../../keys/keyring.js';
import { toSecretValue } from '../../domain/secret-value.js';
import { SecretResolver } from '../../secret-resolver.js';
import { SecretSlots } from '../../secret-slots.js';
import type { WriteResult } from '../../write-result.js';
import { RotateSecretCommand, type RotateSecretInput } from './rotate-secret.command.js';

@CommandHandler(RotateSecretCommand)
export class RotateSecretHandler extends GatedHandler<RotateSecretCommand, WriteResult> {
  constructor(
    private readonly slots: SecretSlots,
    private readonly resolver: SecretResolver,
    private readonly keyring: Keyring,
    @Inject(OPTIONS) private readonly options: StrongroomOptions,
  ) {
    super();
  }

  protected async handle(input: RotateSecretInput, ticket: Ticket): Promise<WriteResult> {
    const { id, name, env } = this.resolver.live(input.env, input.ref);
    const value = toSecretValue(input.value, this.options.maxValueBytes);
    const { expectedVersion } = input;
    const { position, state } = await this.slots.write(ticket, env, name, () => ({
      type: 'RotateSecret',
      data: { secretId: id, binary: value.binary, ...this.keyring.encrypt(value.bytes, env), ...(expectedVersion !== undefined && { expectedVersion }) },
    }));
    return { id, name, env, version: state.live?.version ?? 0, position };
  }
}
