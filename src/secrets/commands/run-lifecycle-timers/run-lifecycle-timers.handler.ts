import { Inject } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import type { StrongroomOptions } from '../../../config/options.js';
import { GatedHandler } from '../../../kernel/gated-handler.js';
import type { Ticket } from '../../../kernel/ticket.js';
import { CLOCK, LOGGER, OPTIONS } from '../../../kernel/tokens.js';
import { Keyring } from '../../../keys/keyring.js';
import { StrongroomProjection } from '../../../projection/strongroom-projection.js';
import type { Clock } from '../../../shared/clock.js';
import { isStrongroomError } from '../../../shared/errors.js';
import type { Logger } from '../../../shared/logger.js';
import { yieldToEventLoop } from '../../../shared/yield-to-event-loop.js';
import { DEFAULT_EXPIRY_WARNINGS, dueWork } from '../../domain/secret-lifecycle.js';
import type { EncryptedValue } from '../../domain/secret.decider.js';
import type { SecretEvent } from '../../domain/secret-events.js';
import type { LiveSecret } from '../../domain/secret-slot.js';
import { SecretSlots } from '../../secret-slots.js';
import { generateValue } from '../../value-generator.js';
import { RunLifecycleTimersCommand, type LifecycleTimersResult, type RunLifecycleTimersInput } from './run-lifecycle-timers.command.js';

/** Secrets looked at between two turns of the event loop (a scan of 100,000 stays responsive). */
const SECRETS_PER_SLICE = 2_000;

@CommandHandler(RunLifecycleTimersCommand)
export class RunLifecycleTimersHandler extends GatedHandler<RunLifecycleTimersCommand, LifecycleTimersResult> {
  constructor(
    private readonly projection: StrongroomProjection,
    private readonly slots: SecretSlots,
    private readonly keyring: Keyring,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(OPTIONS) private readonly options: StrongroomOptions,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    super();
  }

  protected async handle(_input: RunLifecycleTimersInput, ticket: Ticket): Promise<LifecycleTimersResult> {
    const warnings = this.options.expiryWarnings ?? DEFAULT_EXPIRY_WARNINGS;
    const now = this.clock.now();
    const due: LiveSecret[] = [];
    let seen = 0;
    for (const secret of this.projection.allSecrets()) {
      if (dueWork(secret, now, warnings).length > 0) due.push(secret);
      if (++seen % SECRETS_PER_SLICE === 0) await yieldToEventLoop();
    }
    const counts = { purged: 0, expired: 0, expiring: 0, rotationDue: 0, rotated: 0 };
    for (const secret of due) {
      try {
        let decided: readonly SecretEvent[] = [];
        const { appended } = await this.slots.write(
          ticket,
          secret.env,
          secret.name,
          (slot) => ({ type: 'RunTimers', data: { secretId: secret.id, now: now.toISOString(), warnings, ...this.generatedFor(slot.live, now, warnings) } }),
          (events) => (decided = events),
        );
        if (appended) for (const e of decided) countEvent(counts, e);
      } catch (e) {
        // One secret's failure (e.g. its key unavailable for a generated rotation) must not stop the others.
        if (!isStrongroomError(e)) throw e;
        this.logger.error({ secretId: secret.id, code: e.code }, 'a lifecycle timer could not be recorded; the next run tries again');
      }
    }
    return counts;
  }

  /** A generated, encrypted value when a scheduled rotation with a generator is due; nothing otherwise. */
  private generatedFor(live: LiveSecret | null, now: Date, warnings: readonly string[]): { generated?: EncryptedValue } {
    const spec = live?.rotation?.generate;
    if (!live || !spec || !dueWork(live, now, warnings).some((w) => w.kind === 'rotate')) return {};
    return { generated: { ...this.keyring.encrypt(Buffer.from(generateValue(spec), 'utf8'), live.env), binary: false } };
  }
}

const countEvent = (counts: Record<keyof LifecycleTimersResult, number>, e: SecretEvent): void => {
  if (e.type === 'SecretPurged') counts.purged++;
  else if (e.type === 'SecretExpired') counts.expired++;
  else if (e.type === 'SecretExpiring') counts.expiring++;
  else if (e.type === 'SecretRotationDue') counts.rotationDue++;
  else if (e.type === 'SecretRotated') counts.rotated++;
};
