import type { Command } from 'commander';
import { ErrorCode, StrongroomError } from '../../../shared/errors.js';
import type { Output } from '../output.js';
import { withStrongroom } from '../session.js';
import { defineVerb } from './define-verb.js';
import { initialisedReport, initialisedText } from './initialised-message.js';

export const initVerb = (program: Command, output: Output): void => {
  defineVerb(program, 'init', 'initialise an empty Strongroom home: master key, API token, empty log').action(
    (_options: object, command: Command) =>
      withStrongroom(
        command,
        async (strongroom) => {
          const { initialised, options } = strongroom;
          // Opening an initialised store succeeds quietly; for `init` that means the operator aimed at the wrong home.
          if (initialised === null) {
            throw new StrongroomError(ErrorCode.AlreadyInitialised, `a Strongroom store is already initialised at ${options.home}`, { home: options.home });
          }
          output.result(initialisedReport(options, initialised), () => initialisedText(options, initialised));
        },
        { initialiseIfEmpty: true },
      ),
  );
};
