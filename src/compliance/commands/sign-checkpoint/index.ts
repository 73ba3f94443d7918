import type { Slice } from '../../../catalogue.js';
import { auditSignVerbs } from './sign-checkpoint.cli.verb.js';
import { SignCheckpointHttpController } from './sign-checkpoint.http.controller.js';
import { SignCheckpoint } from './sign-checkpoint.use-case.js';

export const signCheckpoint: Slice = { useCase: SignCheckpoint, http: [SignCheckpointHttpController], cli: [auditSignVerbs] };
