import type { Slice } from '../../../catalogue.js';
import { listEnvironmentsVerb } from './list-environments.cli.verb.js';
import { ListEnvironmentsHttpController } from './list-environments.http.controller.js';
import { ListEnvironments } from './list-environments.use-case.js';

export const listEnvironments: Slice = { useCase: ListEnvironments, http: [ListEnvironmentsHttpController], cli: [listEnvironmentsVerb] };
