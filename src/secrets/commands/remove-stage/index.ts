import type { Slice } from '../../../catalogue.js';
import { cancelPendingVerb, unstageVerb } from './remove-stage.cli.verb.js';
import { RemoveStageHttpController } from './remove-stage.http.controller.js';
import { RemoveStage } from './remove-stage.use-case.js';

export const removeStage: Slice = { useCase: RemoveStage, http: [RemoveStageHttpController], cli: [cancelPendingVerb, unstageVerb] };
