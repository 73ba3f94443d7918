import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { OPTIONS } from '../../../app/tokens.js';
import type { StrongroomOptions } from '../../../config/options.js';
import { Keyring } from '../../../keys/keyring.js';
import { decide } from '../../domain/secret.decider.js';
import { validateExpectedVersion, validateValue } from '../../domain/secret-rules.js';
import { SecretResolver } from '../../secret-resolver.js';
import { slotStream } from '../../secret-streams.js';
import { SecretWriter } from '../../secret-writer.js';
import type { WriteResult } from '../write-result.js';
import { RotateSecretCommand } from './rotate-secret.command.js';

@CommandHandler(RotateSecretCommand)
export class RotateSecretHandler implements ICommandHandler<RotateSecretCommand> {
  constructor(
    private readonly writer: SecretWriter,
    private readonly resolver: SecretResolver,
    private readonly keyring: Keyring,
    @Inject(OPTIONS) private readonly options: StrongroomOptions,
  ) {}

  async execute({ input, context }: RotateSecretCommand): Promise<WriteResult> {
    const value = validateValue(input.value, this.options.maxValueBytes);
    const expectedVersion = validateExpectedVersion(input.expectedVersion);
    const { id, name } = this.resolver.live(input.ref);
    const { position, slot } = await this.writer.write(
      slotStream(name),
      (current) =>
        decide(
          { type: 'RotateSecret', data: { secretId: id, ...this.keyring.encrypt(value), ...(expectedVersion !== undefined && { expectedVersion }) } },
          current,
        ),
      context,
    );
    return { id, name, version: slot.live?.version ?? 0, position };
  }
}
