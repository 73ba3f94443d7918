import { defineUseCase } from '../../../kernel/use-case.js';
import { secretResource } from '../../secret-resource.js';
import { PromoteVersionCommand, promoteVersionInput, type PromoteResult, type PromoteVersionInput } from './promote-version.command.js';
import { PromoteVersionHandler } from './promote-version.handler.js';

/**
 * `rotate`: changing which value is current is what a rotation does (a rotator promotes its pending
 * version; an operator rolls back). Labels of one's own ride on the same capability rather than a new one.
 */
export const PromoteVersion = defineUseCase<PromoteVersionInput, PromoteResult>({
  name: 'PromoteVersion',
  kind: 'command',
  summary: 'Make a version current (promote a pending version, or roll back to an older one), or move a label of yours to it.',
  message: PromoteVersionCommand,
  handler: PromoteVersionHandler,
  input: promoteVersionInput,
  capability: 'rotate',
  resource: secretResource,
  http: [
    { method: 'POST', path: '/v1/envs/:env/secrets/:ref/promote' },
    { method: 'POST', path: '/v1/secrets/:ref/promote' },
  ],
});
