import { Inject } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import { GatedHandler } from '../../../kernel/gated-handler.js';
import type { Ticket } from '../../../kernel/ticket.js';
import { IDS } from '../../../kernel/tokens.js';
import type { IdGenerator } from '../../../shared/ids.js';
import { decideCreateEnvironment } from '../../domain/keyring.decider.js';
import { Keyring } from '../../keyring.js';
import { KeysWriter } from '../../keys-writer.js';
import { CreateEnvironmentCommand, type CreateEnvironmentInput, type EnvironmentCreated } from './create-environment.command.js';

@CommandHandler(CreateEnvironmentCommand)
export class CreateEnvironmentHandler extends GatedHandler<CreateEnvironmentCommand, EnvironmentCreated> {
  constructor(
    private readonly keys: KeysWriter,
    private readonly keyring: Keyring,
    @Inject(IDS) private readonly ids: IdGenerator,
  ) {
    super();
  }

  protected async handle(input: CreateEnvironmentInput, ticket: Ticket): Promise<EnvironmentCreated> {
    const keyId = this.ids.opaqueId();
    const { position } = await this.keys.write(ticket, (state) =>
      decideCreateEnvironment(state, { env: input.env, dataKey: this.keyring.newWrappedKey(keyId), wrappingMasterKeyId: this.keyring.masterKeyId }),
    );
    return { env: input.env, keyId, position };
  }
}
