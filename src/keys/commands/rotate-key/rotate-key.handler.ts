import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { KeyRotationRunner } from '../../key-rotation.runner.js';
import { RotateKeyCommand, type RotateKeyResult } from './rotate-key.command.js';

@CommandHandler(RotateKeyCommand)
export class RotateKeyHandler implements ICommandHandler<RotateKeyCommand> {
  constructor(private readonly runner: KeyRotationRunner) {}

  execute({ context, onProgress }: RotateKeyCommand): Promise<RotateKeyResult> {
    return this.runner.start(context, onProgress);
  }
}
