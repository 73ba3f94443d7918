import { ALL_ENVIRONMENTS } from '../../../kernel/authorisation.js';
import { defineUseCase } from '../../../kernel/use-case.js';
import { RunLifecycleTimersCommand, runLifecycleTimersInput, type LifecycleTimersResult, type RunLifecycleTimersInput } from './run-lifecycle-timers.command.js';
import { RunLifecycleTimersHandler } from './run-lifecycle-timers.handler.js';

/** `admin` over every environment: it acts on every secret; the system principal runs it. */
export const RunLifecycleTimers = defineUseCase<RunLifecycleTimersInput, LifecycleTimersResult>({
  name: 'RunLifecycleTimers',
  kind: 'command',
  summary: 'Record what is due now: purges at the end of recovery windows, expiries and their warnings, rotations due (or generated).',
  message: RunLifecycleTimersCommand,
  handler: RunLifecycleTimersHandler,
  input: runLifecycleTimersInput,
  capability: 'admin',
  resource: () => ({ env: ALL_ENVIRONMENTS, secret: null }),
});
