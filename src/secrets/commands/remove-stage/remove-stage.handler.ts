import { CommandHandler } from '@nestjs/cqrs';
import { GatedHandler } from '../../../kernel/gated-handler.js';
import type { Ticket } from '../../../kernel/ticket.js';
import { validateStage } from '../../domain/secret-stages.js';
import { SecretResolver } from '../../secret-resolver.js';
import { SecretSlots } from '../../secret-slots.js';
import type { WriteResult } from '../../write-result.js';
import { RemoveStageCommand, type RemoveStageInput } from './remove-stage.command.js';

@CommandHandler(RemoveStageCommand)
export class RemoveStageHandler extends GatedHandler<RemoveStageCommand, WriteResult> {
  constructor(
    private readonly slots: SecretSlots,
    private readonly resolver: SecretResolver,
  ) {
    super();
  }

  protected async handle(input: RemoveStageInput, ticket: Ticket): Promise<WriteResult> {
    const live = this.resolver.live(input.env, input.ref);
    const stage = validateStage(input.stage);
    const version = live.stages[stage] ?? 0;
    const { position } = await this.slots.write(ticket, live.env, live.name, () => ({ type: 'RemoveStage', data: { secretId: live.id, stage } }));
    return { id: live.id, name: live.name, env: live.env, version, position };
  }
}
