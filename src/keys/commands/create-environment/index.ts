import type { Slice } from '../../../catalogue.js';
import { createEnvironmentVerb } from './create-environment.cli.verb.js';
import { CreateEnvironmentHttpController } from './create-environment.http.controller.js';
import { CreateEnvironment } from './create-environment.use-case.js';

export const createEnvironment: Slice = { useCase: CreateEnvironment, http: [CreateEnvironmentHttpController], cli: [createEnvironmentVerb] };
