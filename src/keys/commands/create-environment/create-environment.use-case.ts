import { defineUseCase } from '../../../kernel/use-case.js';
import { CreateEnvironmentCommand, createEnvironmentInput, type CreateEnvironmentInput, type EnvironmentCreated } from './create-environment.command.js';
import { CreateEnvironmentHandler } from './create-environment.handler.js';

export const CreateEnvironment = defineUseCase<CreateEnvironmentInput, EnvironmentCreated>({
  name: 'CreateEnvironment',
  kind: 'command',
  summary: 'Create an environment (e.g. staging, prod) whose secrets are encrypted under data keys of its own.',
  message: CreateEnvironmentCommand,
  handler: CreateEnvironmentHandler,
  input: createEnvironmentInput,
  capability: 'admin',
  resource: (input) => ({ env: input.env, secret: null }),
  http: [{ method: 'POST', path: '/v1/envs', example: { env: 'prod' } }],
});
