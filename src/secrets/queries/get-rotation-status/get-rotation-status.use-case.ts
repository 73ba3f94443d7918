import { defineUseCase } from '../../../kernel/use-case.js';
import { GetRotationStatusHandler } from './get-rotation-status.handler.js';
import { GetRotationStatusQuery, getRotationStatusInput, type GetRotationStatusInput, type RotationStatus } from './get-rotation-status.query.js';

/** `list`, filtered per secret like ListSecrets: it shows names and schedules, never values. */
export const GetRotationStatus = defineUseCase<GetRotationStatusInput, RotationStatus>({
  name: 'GetRotationStatus',
  kind: 'query',
  summary: 'Overdue and upcoming scheduled rotations of an environment.',
  message: GetRotationStatusQuery,
  handler: GetRotationStatusHandler,
  input: getRotationStatusInput,
  capability: 'list',
  scope: 'any-in-env',
  resource: (input) => ({ env: input.env, secret: null }),
  http: [
    { method: 'GET', path: '/v1/envs/:env/rotation-status' },
    { method: 'GET', path: '/v1/rotation-status' },
  ],
});
