import { ALL_ENVIRONMENTS } from '../../../kernel/authorisation.js';
import { defineUseCase } from '../../../kernel/use-case.js';
import { RotateMasterKeyCommand, rotateMasterKeyInput, type RotateMasterKeyInput, type RotateMasterKeyResult } from './rotate-master-key.command.js';
import { RotateMasterKeyHandler } from './rotate-master-key.handler.js';

export const RotateMasterKey = defineUseCase<RotateMasterKeyInput, RotateMasterKeyResult>({
  name: 'RotateMasterKey',
  kind: 'command',
  summary: 'Generate a new master key and rewrap the audit key and every data key (retired ones too) under it, in one step or two (newKeyFile, for mounted keys).',
  message: RotateMasterKeyCommand,
  handler: RotateMasterKeyHandler,
  input: rotateMasterKeyInput,
  capability: 'admin',
  resource: () => ({ env: ALL_ENVIRONMENTS, secret: null }),
  http: [{ method: 'POST', path: '/v1/keys/master/rotate' }],
});
