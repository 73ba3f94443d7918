import { ALL_ENVIRONMENTS } from '../../../kernel/authorisation.js';
import { defineUseCase } from '../../../kernel/use-case.js';
import type { RotateKeyResult } from '../rotate-key/rotate-key.command.js';
import { ResumeKeyRotationsCommand, resumeKeyRotationsInput, type ResumeKeyRotationsInput } from './resume-key-rotations.command.js';
import { ResumeKeyRotationsHandler } from './resume-key-rotations.handler.js';

export const ResumeKeyRotations = defineUseCase<ResumeKeyRotationsInput, RotateKeyResult[]>({
  name: 'ResumeKeyRotations',
  kind: 'command',
  summary: 'Finish the master-key rotation and every data-key rotation that a crash interrupted (Strongroom runs this at start-up).',
  message: ResumeKeyRotationsCommand,
  handler: ResumeKeyRotationsHandler,
  input: resumeKeyRotationsInput,
  capability: 'admin',
  resource: () => ({ env: ALL_ENVIRONMENTS, secret: null }),
});
