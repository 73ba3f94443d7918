import { Inject } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import type { StrongroomOptions } from '../../../config/options.js';
import { GatedHandler } from '../../../kernel/gated-handler.js';
import type { Ticket } from '../../../kernel/ticket.js';
import { CLOCK, EVENT_LOG, OPTIONS, type EventLog } from '../../../kernel/tokens.js';
import type { Clock } from '../../../shared/clock.js';
import { ErrorCode, isStrongroomError, StrongroomError } from '../../../shared/errors.js';
import { CHECKPOINT_EVENT, CHECKPOINT_SCHEMA_VERSIONS, CHECKPOINT_STREAM, signCheckpoint, type SignedCheckpoint } from '../../checkpoint.js';
import { writeCheckpointFile } from '../../checkpoint-files.js';
import { GENESIS_START, publicHeadAt, recordedCheckpoints } from '../../checkpoint-log.js';
import { SigningKeys } from '../../signing-key.js';
import { SignCheckpointCommand, type CheckpointResult, type SignCheckpointInput } from './sign-checkpoint.command.js';

/** Tries when another process or replica signed a checkpoint meanwhile (the chain of signatures must not fork). */
const ATTEMPTS = 5;

/**
 * Continues the public chain from the last checkpoint to the head, signs, and appends the checkpoint at
 * the checkpoint stream's revision, so two signers never both follow the same previous signature
 * (the loser reads the winner's checkpoint and signs after it). Then writes it to the configured
 * checkpoint directory, if any.
 */
@CommandHandler(SignCheckpointCommand)
export class SignCheckpointHandler extends GatedHandler<SignCheckpointCommand, CheckpointResult> {
  constructor(
    @Inject(EVENT_LOG) private readonly log: EventLog,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(OPTIONS) private readonly options: StrongroomOptions,
    private readonly keys: SigningKeys,
  ) {
    super();
  }

  protected async handle(input: SignCheckpointInput, ticket: Ticket): Promise<CheckpointResult> {
    for (let attempt = 1; ; attempt++) {
      const recorded = await recordedCheckpoints(this.log);
      const last = recorded.at(-1);
      const head = await this.log.headPosition();
      if (input.ifNewEvents !== undefined && head - (last?.event.position ?? 0) < input.ifNewEvents) {
        return { signed: false, checkpoint: last?.checkpoint ?? null, eventPosition: last?.event.position ?? null };
      }
      const key = this.keys.get(last?.checkpoint.keyId ?? null);
      const start = last ? { position: last.checkpoint.position, publicHead: last.checkpoint.publicHead } : GENESIS_START;
      const heads = await publicHeadAt(this.log, start, head);
      const checkpoint = signCheckpoint(
        {
          sequence: (last?.checkpoint.sequence ?? 0) + 1,
          position: head,
          publicHead: heads.publicHead,
          chainHash: heads.chainHash,
          signedAt: this.clock.now().toISOString(),
          previousSignature: last?.checkpoint.signature ?? null,
          keyId: key.keyId,
        },
        key.privateKey,
      );
      try {
        const { position } = await ticket.write({
          stream: CHECKPOINT_STREAM,
          state: () => ({ revision: recorded.length - 1 }),
          decide: () => [{ type: CHECKPOINT_EVENT, data: checkpoint }],
          schemaVersions: CHECKPOINT_SCHEMA_VERSIONS,
          onConflict: 'fail',
        });
        this.writeToDirectory(checkpoint);
        return { signed: true, checkpoint, eventPosition: position };
      } catch (e) {
        if (!isStrongroomError(e, ErrorCode.RevisionConflict) || attempt >= ATTEMPTS) throw e;
      }
    }
  }

  private writeToDirectory(checkpoint: SignedCheckpoint): void {
    const dir = this.options.checkpoints?.dir;
    if (!dir) return;
    try {
      writeCheckpointFile(dir, checkpoint);
    } catch (cause) {
      throw new StrongroomError(ErrorCode.StoreUnavailable, `the checkpoint is recorded in the log but could not be written to ${dir}`, { dir }, { cause });
    }
  }
}
