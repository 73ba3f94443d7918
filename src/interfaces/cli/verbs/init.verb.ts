import type { Command } from 'commander';
import { ErrorCode, StrongroomError } from '../../../shared/errors.js';
import type { CliContext } from '../session.js';
import { defineVerb } from './define-verb.js';
import { initialisedReport, initialisedText } from './initialised-message.js';

export const initVerb = (program: Command, cli: CliContext): void => {
  defineVerb(program, 'init', 'initialise an empty Strongroom home: master key, root API token, empty log', { env: false }).action((_options: object, command: Command) =>
    cli.withStrongroom(
      command,
      async (strongroom) => {
        const { initialised, options } = strongroom;
        // Opening an initialised store succeeds quietly; for `init` that means the operator aimed at the wrong home.
        if (initialised === null) {
          throw new StrongroomError(ErrorCode.AlreadyInitialised, `a Strongroom store is already initialised at ${options.home}`, { home: options.home });
        }
        cli.output.result(initialisedReport(options, initialised), () => initialisedText(options, initialised));
      },
      { initialiseIfEmpty: true },
    ),
  );
};
