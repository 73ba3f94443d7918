import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decide } from '../../domain/secret.decider.js';
import { validateExpectedVersion } from '../../domain/secret-rules.js';
import { SecretResolver } from '../../secret-resolver.js';
import { slotStream } from '../../secret-streams.js';
import { SecretWriter } from '../../secret-writer.js';
import type { WriteResult } from '../write-result.js';
import { DeleteSecretCommand } from './delete-secret.command.js';

@CommandHandler(DeleteSecretCommand)
export class DeleteSecretHandler implements ICommandHandler<DeleteSecretCommand> {
  constructor(
    private readonly writer: SecretWriter,
    private readonly resolver: SecretResolver,
  ) {}

  async execute({ input, context }: DeleteSecretCommand): Promise<WriteResult> {
    const expectedVersion = validateExpectedVersion(input.expectedVersion);
    const { id, name, version } = this.resolver.live(input.ref);
    const { position } = await this.writer.write(
      slotStream(name),
      (slot) => decide({ type: 'DeleteSecret', data: { secretId: id, ...(expectedVersion !== undefined && { expectedVersion }) } }, slot),
      context,
    );
    return { id, name, version, position };
  }
}
