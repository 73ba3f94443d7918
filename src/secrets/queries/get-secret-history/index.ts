import type { Slice } from '../../../catalogue.js';
import { getSecretHistoryVerb } from './get-secret-history.cli.verb.js';
import { GetSecretHistoryHttpController } from './get-secret-history.http.controller.js';
import { GetSecretHistory } from './get-secret-history.use-case.js';

export const getSecretHistory: Slice = { useCase: GetSecretHistory, http: [GetSecretHistoryHttpController], cli: [getSecretHistoryVerb] };
