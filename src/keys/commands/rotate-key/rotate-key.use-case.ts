import { defineUseCase } from '../../../kernel/use-case.js';
import { RotateKeyCommand, rotateKeyInput, type RotateKeyInput, type RotateKeyResult } from './rotate-key.command.js';
import { RotateKeyHandler } from './rotate-key.handler.js';

export const RotateKey = defineUseCase<RotateKeyInput, RotateKeyResult>({
  name: 'RotateKey',
  kind: 'command',
  summary: "Create a new data key for an environment and re-encrypt every current secret of it under the key (resumable after a crash).",
  message: RotateKeyCommand,
  handler: RotateKeyHandler,
  input: rotateKeyInput,
  capability: 'admin',
  resource: (input) => ({ env: input.env, secret: null }),
  http: [
    { method: 'POST', path: '/v1/envs/:env/keys/rotate' },
    { method: 'POST', path: '/v1/keys/rotate' },
  ],
});
