import { CommandHandler } from '@nestjs/cqrs';
import { GatedHandler } from '../../../kernel/gated-handler.js';
import type { Ticket } from '../../../kernel/ticket.js';
import { KeyRotationRunner } from '../../key-rotation.runner.js';
import { RotateKeyCommand, type RotateKeyInput, type RotateKeyResult } from './rotate-key.command.js';

@CommandHandler(RotateKeyCommand)
export class RotateKeyHandler extends GatedHandler<RotateKeyCommand, RotateKeyResult> {
  constructor(private readonly runner: KeyRotationRunner) {
    super();
  }

  protected handle(input: RotateKeyInput, ticket: Ticket): Promise<RotateKeyResult> {
    return this.runner.start(ticket, input.env, input.onProgress);
  }
}
