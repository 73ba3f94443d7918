import type { Slice } from '../../../catalogue.js';
import { setPolicyVerb } from './set-policy.cli.verb.js';
import { SetPolicyHttpController } from './set-policy.http.controller.js';
import { SetPolicy } from './set-policy.use-case.js';

export const setPolicy: Slice = { useCase: SetPolicy, http: [SetPolicyHttpController], cli: [setPolicyVerb] };
