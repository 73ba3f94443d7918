import { Inject } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import { holdsCiphertext, redactedData, redactionOf, redactionsNamedBy } from '../../../audit/redaction.js';
import type { StrongroomOptions } from '../../../config/options.js';
import type { RecordedEvent } from '../../../event-store/event-store.port.js';
import { storeCanRedact } from '../../../event-store/open-event-store.js';
import { GatedHandler } from '../../../kernel/gated-handler.js';
import type { Ticket } from '../../../kernel/ticket.js';
import { EVENT_LOG, OPTIONS, type EventLog } from '../../../kernel/tokens.js';
import { ErrorCode, isStrongroomError, StrongroomError } from '../../../shared/errors.js';
import { SecretResolver } from '../../secret-resolver.js';
import { SecretSlots } from '../../secret-slots.js';
import { DestroySecretCommand, type DestroyResult, type DestroySecretInput } from './destroy-secret.command.js';

const ATTEMPTS = 3;

@CommandHandler(DestroySecretCommand)
export class DestroySecretHandler extends GatedHandler<DestroySecretCommand, DestroyResult> {
  constructor(
    private readonly slots: SecretSlots,
    private readonly resolver: SecretResolver,
    @Inject(EVENT_LOG) private readonly log: EventLog,
    @Inject(OPTIONS) private readonly options: StrongroomOptions,
  ) {
    super();
  }

  protected async handle(input: DestroySecretInput, ticket: Ticket): Promise<DestroyResult> {
    // Refused before anything is recorded: a destroy event over ciphertext that stays would be a lie.
    if (!storeCanRedact(this.options.store)) {
      throw new StrongroomError(
        ErrorCode.NotImplemented,
        'destroying secret values is not implemented on KurrentDB: its events cannot be changed or removed (see docs/ARCHITECTURE.md, "Destroy")',
      );
    }
    const { id, stream, env, name } = this.resolver.everStored(input.env, input.ref);
    const whole = input.versions === undefined;
    for (let attempt = 1; ; attempt++) {
      const stored = await this.log.readStream(stream);
      const revision = stored.at(-1)?.revision ?? -1;
      const events = stored.filter((e) => (e.data as { secretId?: unknown } | null)?.secretId === id);
      const versionOf = (e: RecordedEvent): number => (e.data as { version?: number }).version ?? 0;
      const versions = input.versions ?? [...new Set(events.map(versionOf))].filter((v) => v > 0).sort((a, b) => a - b);
      const targets = events.filter((e) => holdsCiphertext(e) && versions.includes(versionOf(e)));
      try {
        const { position, state } = await this.slots.write(ticket, env, name, (slot) => {
          // The redactions were read at `revision`: anything written since may hold more ciphertext.
          if (slot.revision !== revision) throw new StrongroomError(ErrorCode.RevisionConflict, 'the secret changed while its redactions were computed');
          return { type: 'DestroySecret', data: { secretId: id, versions, whole, redactions: targets.map(redactionOf) } };
        });
        const redacted = await this.applyRedactions(ticket, stream, id);
        return { id, name, env, versions, redacted, purged: state.live?.id !== id, position };
      } catch (e) {
        if (!isStrongroomError(e, ErrorCode.RevisionConflict) || attempt === ATTEMPTS) throw e;
        await ticket.catchUp();
      }
    }
  }

  /**
   * Redacts every payload that a durable destroy event of this secret names and that still holds a
   * ciphertext, checking first that its redaction gives the digest the event recorded (so a redaction
   * never leaves a payload that `audit verify` would not accept).
   */
  private async applyRedactions(ticket: Ticket, stream: string, id: string): Promise<number> {
    const events = await this.log.readStream(stream);
    const byPosition = new Map<number, RecordedEvent>(events.map((e) => [e.position, e]));
    const payloads: { position: number; data: Record<string, unknown> }[] = [];
    for (const destroy of events) {
      if ((destroy.data as { secretId?: unknown } | null)?.secretId !== id) continue;
      for (const record of redactionsNamedBy(destroy)) {
        const target = byPosition.get(record.position);
        if (!target || !holdsCiphertext(target)) continue;
        if (redactionOf(target).redactedDigest !== record.redactedDigest) {
          throw new StrongroomError(ErrorCode.IntegrityError, `the event at position ${record.position} does not match the redaction recorded for it; run \`strongroom audit verify\``);
        }
        payloads.push({ position: record.position, data: redactedData(target.data) });
      }
    }
    await ticket.redact(payloads);
    return payloads.length;
  }
}
