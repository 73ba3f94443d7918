import { CommandHandler } from '@nestjs/cqrs';
import { GatedHandler } from '../../../kernel/gated-handler.js';
import type { Ticket } from '../../../kernel/ticket.js';
import { StrongroomProjection } from '../../../projection/strongroom-projection.js';
import { rotationsInProgress } from '../../domain/keyring-state.js';
import { KeyRotationRunner } from '../../key-rotation.runner.js';
import { MasterKeyRotator } from '../../master-key-rotator.js';
import type { RotateKeyResult } from '../rotate-key/rotate-key.command.js';
import { ResumeKeyRotationsCommand } from './resume-key-rotations.command.js';

@CommandHandler(ResumeKeyRotationsCommand)
export class ResumeKeyRotationsHandler extends GatedHandler<ResumeKeyRotationsCommand, RotateKeyResult[]> {
  constructor(
    private readonly runner: KeyRotationRunner,
    private readonly master: MasterKeyRotator,
    private readonly projection: StrongroomProjection,
  ) {
    super();
  }

  protected async handle(_input: object, ticket: Ticket): Promise<RotateKeyResult[]> {
    // The master key first: data keys wait while a master-key rotation is pending.
    await this.master.resumeIfNeeded(ticket);
    const results: RotateKeyResult[] = [];
    for (const { env } of rotationsInProgress(this.projection.keys)) {
      const result = await this.runner.resume(ticket, env);
      if (result) results.push(result);
    }
    return results;
  }
}
