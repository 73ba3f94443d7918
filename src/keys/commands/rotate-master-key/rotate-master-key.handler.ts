import { CommandHandler } from '@nestjs/cqrs';
import { GatedHandler } from '../../../kernel/gated-handler.js';
import type { Ticket } from '../../../kernel/ticket.js';
import { MasterKeyRotator } from '../../master-key-rotator.js';
import { RotateMasterKeyCommand, type RotateMasterKeyInput, type RotateMasterKeyResult } from './rotate-master-key.command.js';

/** The master-key protocol lives in MasterKeyRotator; this chooses one step or two. */
@CommandHandler(RotateMasterKeyCommand)
export class RotateMasterKeyHandler extends GatedHandler<RotateMasterKeyCommand, RotateMasterKeyResult> {
  constructor(private readonly rotator: MasterKeyRotator) {
    super();
  }

  protected handle(input: RotateMasterKeyInput, ticket: Ticket): Promise<RotateMasterKeyResult> {
    return input.newKeyFile === undefined ? this.rotator.rotate(ticket, input.onStep) : this.rotator.prepare(ticket, input.newKeyFile, input.onStep);
  }
}
