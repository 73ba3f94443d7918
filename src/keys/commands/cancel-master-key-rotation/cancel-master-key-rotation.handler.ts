import { CommandHandler } from '@nestjs/cqrs';
import { GatedHandler } from '../../../kernel/gated-handler.js';
import type { Ticket } from '../../../kernel/ticket.js';
import { MasterKeyRotator } from '../../master-key-rotator.js';
import type { RotateMasterKeyResult } from '../rotate-master-key/rotate-master-key.command.js';
import { CancelMasterKeyRotationCommand } from './cancel-master-key-rotation.command.js';

@CommandHandler(CancelMasterKeyRotationCommand)
export class CancelMasterKeyRotationHandler extends GatedHandler<CancelMasterKeyRotationCommand, RotateMasterKeyResult> {
  constructor(private readonly rotator: MasterKeyRotator) {
    super();
  }

  protected handle(_input: object, ticket: Ticket): Promise<RotateMasterKeyResult> {
    return this.rotator.cancel(ticket);
  }
}
