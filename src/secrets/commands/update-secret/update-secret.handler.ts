import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { OPTIONS } from '../../../app/tokens.js';
import type { StrongroomOptions } from '../../../config/options.js';
import { Keyring } from '../../../keys/keyring.js';
import { decide } from '../../domain/secret.decider.js';
import { validateExpectedVersion, validateMetadata, validateValue } from '../../domain/secret-rules.js';
import { SecretResolver } from '../../secret-resolver.js';
import { slotStream } from '../../secret-streams.js';
import { SecretWriter } from '../../secret-writer.js';
import type { WriteResult } from '../write-result.js';
import { UpdateSecretCommand } from './update-secret.command.js';

@CommandHandler(UpdateSecretCommand)
export class UpdateSecretHandler implements ICommandHandler<UpdateSecretCommand> {
  constructor(
    private readonly writer: SecretWriter,
    private readonly resolver: SecretResolver,
    private readonly keyring: Keyring,
    @Inject(OPTIONS) private readonly options: StrongroomOptions,
  ) {}

  async execute({ input, context }: UpdateSecretCommand): Promise<WriteResult> {
    const value = validateValue(input.value, this.options.maxValueBytes);
    const expectedVersion = validateExpectedVersion(input.expectedVersion);
    const metadata = input.metadata === undefined ? undefined : validateMetadata(input.metadata);
    const { id, name } = this.resolver.live(input.ref);
    const { position, slot } = await this.writer.write(
      slotStream(name),
      (current) =>
        decide(
          {
            type: 'UpdateSecret',
            data: { secretId: id, ...this.keyring.encrypt(value), ...(metadata && { metadata }), ...(expectedVersion !== undefined && { expectedVersion }) },
          },
          current,
        ),
      context,
    );
    return { id, name, version: slot.live?.version ?? 0, position };
  }
}
