import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { IDS, OPTIONS } from '../../../app/tokens.js';
import type { StrongroomOptions } from '../../../config/options.js';
import { Keyring } from '../../../keys/keyring.js';
import type { IdGenerator } from '../../../shared/ids.js';
import { decide } from '../../domain/secret.decider.js';
import { validateMetadata, validateName, validateValue } from '../../domain/secret-rules.js';
import { slotStream } from '../../secret-streams.js';
import { SecretWriter } from '../../secret-writer.js';
import type { WriteResult } from '../write-result.js';
import { StoreSecretCommand } from './store-secret.command.js';

@CommandHandler(StoreSecretCommand)
export class StoreSecretHandler implements ICommandHandler<StoreSecretCommand> {
  constructor(
    private readonly writer: SecretWriter,
    private readonly keyring: Keyring,
    @Inject(IDS) private readonly ids: IdGenerator,
    @Inject(OPTIONS) private readonly options: StrongroomOptions,
  ) {}

  async execute({ input, context }: StoreSecretCommand): Promise<WriteResult> {
    const name = validateName(input.name);
    const value = validateValue(input.value, this.options.maxValueBytes);
    const metadata = validateMetadata(input.metadata);
    const secretId = this.ids.secretId();
    const { position } = await this.writer.write(
      slotStream(name),
      (slot) => decide({ type: 'StoreSecret', data: { secretId, name, metadata, ...this.keyring.encrypt(value) } }, slot),
      context,
    );
    return { id: secretId, name, version: 1, position };
  }
}
