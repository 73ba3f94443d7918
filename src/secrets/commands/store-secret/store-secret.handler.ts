import { Inject } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import type { StrongroomOptions } from '../../../config/options.js';
import { GatedHandler } from '../../../kernel/gated-handler.js';
import type { Ticket } from '../../../kernel/ticket.js';
import { CLOCK, IDS, OPTIONS } from '../../../kernel/tokens.js';
import type { Clock } from '../../../shared/clock.js';
import { lifecycleChange } from '../../domain/lifecycle-rules.js';
import { Keyring } from '../../../keys/keyring.js';
import type { IdGenerator } from '../../../shared/ids.js';
import { validateMetadata, validateName } from '../../domain/secret-rules.js';
import { valueFrom } from '../../value-source.js';
import { SecretSlots } from '../../secret-slots.js';
import type { WriteResult } from '../../write-result.js';
import { StoreSecretCommand, type StoreSecretInput } from './store-secret.command.js';

@CommandHandler(StoreSecretCommand)
export class StoreSecretHandler extends GatedHandler<StoreSecretCommand, WriteResult> {
  constructor(
    private readonly slots: SecretSlots,
    private readonly keyring: Keyring,
    @Inject(IDS) private readonly ids: IdGenerator,
    @Inject(OPTIONS) private readonly options: StrongroomOptions,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    super();
  }

  protected async handle(input: StoreSecretInput, ticket: Ticket): Promise<WriteResult> {
    const name = validateName(input.name);
    const value = valueFrom(input, this.options.maxValueBytes);
    const metadata = validateMetadata(input.metadata);
    const { tags, expiresAt, rotation } = lifecycleChange(input, this.clock.now());
    const secretId = this.ids.secretId();
    const { position } = await this.slots.write(ticket, input.env, name, () => ({
      type: 'StoreSecret',
      data: {
        secretId,
        name,
        env: input.env,
        metadata,
        binary: value.binary,
        ...this.keyring.encrypt(value.bytes, input.env),
        ...(tags !== undefined && { tags }),
        ...(expiresAt !== undefined && expiresAt !== null && { expiresAt }),
        ...(rotation !== undefined && rotation !== null && { rotation }),
        now: this.clock.now().toISOString(),
      },
    }));
    return { id: secretId, name, env: input.env, version: 1, position };
  }
}
