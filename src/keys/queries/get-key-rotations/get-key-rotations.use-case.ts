import { ALL_ENVIRONMENTS } from '../../../kernel/authorisation.js';
import { defineUseCase } from '../../../kernel/use-case.js';
import { GetKeyRotationsHandler } from './get-key-rotations.handler.js';
import { GetKeyRotationsQuery, getKeyRotationsInput, type GetKeyRotationsInput, type KeyRotations } from './get-key-rotations.query.js';

export const GetKeyRotations = defineUseCase<GetKeyRotationsInput, KeyRotations>({
  name: 'GetKeyRotations',
  kind: 'query',
  summary: 'The data-key rotations of an environment (or all): who started each, when, how many secrets were re-encrypted or failed, which keys retired.',
  message: GetKeyRotationsQuery,
  handler: GetKeyRotationsHandler,
  input: getKeyRotationsInput,
  capability: 'audit',
  resource: (input) => ({ env: input.env ?? ALL_ENVIRONMENTS, secret: null }),
  http: [
    { method: 'GET', path: '/v1/envs/:env/keys/rotations' },
    { method: 'GET', path: '/v1/keys/rotations' },
  ],
});
