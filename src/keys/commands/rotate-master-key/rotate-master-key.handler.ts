import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { MasterKeyRotator } from '../../master-key-rotator.js';
import { RotateMasterKeyCommand, type RotateMasterKeyResult } from './rotate-master-key.command.js';

/** The master-key protocol lives in MasterKeyRotator; this only routes the action to it. */
@CommandHandler(RotateMasterKeyCommand)
export class RotateMasterKeyHandler implements ICommandHandler<RotateMasterKeyCommand> {
  constructor(private readonly rotator: MasterKeyRotator) {}

  execute({ context, action, onStep }: RotateMasterKeyCommand): Promise<RotateMasterKeyResult> {
    switch (action.kind) {
      case 'rotate':
        return this.rotator.rotate(context, onStep);
      case 'prepare':
        return this.rotator.prepare(context, action.newKeyFile, onStep);
      case 'confirm':
        return this.rotator.confirm(context);
      case 'cancel':
        return this.rotator.cancel(context);
      default: {
        const exhaustive: never = action;
        return exhaustive;
      }
    }
  }
}
