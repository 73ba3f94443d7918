import type { Slice } from '../../../catalogue.js';
import { stateVerb } from './get-state-at.cli.verb.js';
import { GetStateAtHttpController } from './get-state-at.http.controller.js';
import { GetStateAt } from './get-state-at.use-case.js';

export const getStateAt: Slice = { useCase: GetStateAt, http: [GetStateAtHttpController], cli: [stateVerb] };
