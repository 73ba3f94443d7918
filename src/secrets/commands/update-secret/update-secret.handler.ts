import { Inject } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import type { StrongroomOptions } from '../../../config/options.js';
import { GatedHandler } from '../../../kernel/gated-handler.js';
import type { Ticket } from '../../../kernel/ticket.js';
import { CLOCK, OPTIONS } from '../../../kernel/tokens.js';
import type { Clock } from '../../../shared/clock.js';
import { lifecycleChange } from '../../domain/lifecycle-rules.js';
import { Keyring } from '../../../keys/keyring.js';
import { validateMetadata } from '../../domain/secret-rules.js';
import { valueFrom } from '../../value-source.js';
import { SecretResolver } from '../../secret-resolver.js';
import { SecretSlots } from '../../secret-slots.js';
import type { WriteResult } from '../../write-result.js';
import { UpdateSecretCommand, type UpdateSecretInput } from './update-secret.command.js';

@CommandHandler(UpdateSecretCommand)
export class UpdateSecretHandler extends GatedHandler<UpdateSecretCommand, WriteResult> {
  constructor(
    private readonly slots: SecretSlots,
    private readonly resolver: SecretResolver,
    private readonly keyring: Keyring,
    @Inject(OPTIONS) private readonly options: StrongroomOptions,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    super();
  }

  protected async handle(input: UpdateSecretInput, ticket: Ticket): Promise<WriteResult> {
    // The secret first: updating one that does not exist is "not found", whatever the value.
    const { id, name, env } = this.resolver.live(input.env, input.ref);
    const value = valueFrom(input, this.options.maxValueBytes);
    const lifecycle = lifecycleChange(input, this.clock.now());
    const metadata = input.metadata === undefined ? undefined : validateMetadata(input.metadata);
    const { expectedVersion } = input;
    const { position, state } = await this.slots.write(ticket, env, name, () => ({
      type: 'UpdateSecret',
      data: {
        secretId: id,
        binary: value.binary,
        ...this.keyring.encrypt(value.bytes, env),
        ...(metadata && { metadata }),
        ...lifecycle,
        ...(expectedVersion !== undefined && { expectedVersion }),
      },
    }));
    return { id, name, env, version: state.live?.version ?? 0, position };
  }
}
