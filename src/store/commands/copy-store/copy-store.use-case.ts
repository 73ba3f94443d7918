import { ALL_ENVIRONMENTS } from '../../../kernel/authorisation.js';
import { defineUseCase } from '../../../kernel/use-case.js';
import { CopyStoreCommand, copyStoreInput, type CopyStoreInput, type CopyStoreResult } from './copy-store.command.js';
import { CopyStoreHandler } from './copy-store.handler.js';

export const CopyStore = defineUseCase<CopyStoreInput, CopyStoreResult>({
  name: 'CopyStore',
  kind: 'command',
  summary: 'Copy the whole log to another store (order, ids and hashes kept) and verify the copy.',
  message: CopyStoreCommand,
  handler: CopyStoreHandler,
  input: copyStoreInput,
  capability: 'admin',
  resource: () => ({ env: ALL_ENVIRONMENTS, secret: null }),
});
