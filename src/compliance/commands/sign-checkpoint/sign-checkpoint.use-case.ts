import { ALL_ENVIRONMENTS } from '../../../kernel/authorisation.js';
import { defineUseCase } from '../../../kernel/use-case.js';
import { SignCheckpointHandler } from './sign-checkpoint.handler.js';
import { SignCheckpointCommand, signCheckpointInput, type CheckpointResult, type SignCheckpointInput } from './sign-checkpoint.command.js';

export const SignCheckpoint = defineUseCase<SignCheckpointInput, CheckpointResult>({
  name: 'SignCheckpoint',
  kind: 'command',
  summary: "Sign a checkpoint of the log's head (position, public and keyed chain heads, time, previous signature) with the Ed25519 key and record it.",
  message: SignCheckpointCommand,
  handler: SignCheckpointHandler,
  input: signCheckpointInput,
  capability: 'audit',
  resource: () => ({ env: ALL_ENVIRONMENTS, secret: null }),
  http: [{ method: 'POST', path: '/v1/audit/checkpoints' }],
});
