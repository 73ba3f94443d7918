import { defineUseCase } from '../../../kernel/use-case.js';
import { secretResource } from '../../secret-resource.js';
import type { WriteResult } from '../../write-result.js';
import { RemoveStageCommand, removeStageInput, type RemoveStageInput } from './remove-stage.command.js';
import { RemoveStageHandler } from './remove-stage.handler.js';

/** `rotate`: cancelling a pending version belongs to whoever may run the rotation. */
export const RemoveStage = defineUseCase<RemoveStageInput, WriteResult>({
  name: 'RemoveStage',
  kind: 'command',
  summary: 'Remove a stage label: `pending` cancels a two-phase rotation; a label of yours is dropped.',
  message: RemoveStageCommand,
  handler: RemoveStageHandler,
  input: removeStageInput,
  capability: 'rotate',
  resource: secretResource,
  http: [
    { method: 'POST', path: '/v1/envs/:env/secrets/:ref/unstage' },
    { method: 'POST', path: '/v1/secrets/:ref/unstage' },
  ],
});
