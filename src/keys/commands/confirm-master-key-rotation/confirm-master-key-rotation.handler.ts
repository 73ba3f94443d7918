import { CommandHandler } from '@nestjs/cqrs';
import { GatedHandler } from '../../../kernel/gated-handler.js';
import type { Ticket } from '../../../kernel/ticket.js';
import { MasterKeyRotator } from '../../master-key-rotator.js';
import type { RotateMasterKeyResult } from '../rotate-master-key/rotate-master-key.command.js';
import { ConfirmMasterKeyRotationCommand } from './confirm-master-key-rotation.command.js';

@CommandHandler(ConfirmMasterKeyRotationCommand)
export class ConfirmMasterKeyRotationHandler extends GatedHandler<ConfirmMasterKeyRotationCommand, RotateMasterKeyResult> {
  constructor(private readonly rotator: MasterKeyRotator) {
    super();
  }

  protected handle(_input: object, ticket: Ticket): Promise<RotateMasterKeyResult> {
    return this.rotator.confirm(ticket);
  }
}
