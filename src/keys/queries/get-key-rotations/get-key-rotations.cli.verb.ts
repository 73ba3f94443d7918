import type { Command } from 'commander';
import type { CliContext } from '../../../interfaces/cli/session.js';
import { formatTable } from '../../../interfaces/cli/table.js';
import { defineVerb } from '../../../interfaces/cli/verbs/define-verb.js';
import { verbGroup } from '../../../interfaces/cli/verbs/group.js';
import { GetKeyRotations } from './get-key-rotations.use-case.js';

export const keyRotationsVerb = (program: Command, cli: CliContext): void => {
  const keys = verbGroup(program, 'keys', 'data keys and the master key');
  defineVerb(keys, 'rotations', 'data-key rotations: who, when, re-encrypted, failed, retired keys (all environments unless --env)').action(
    async (_flags: object, command: Command) => {
      const explicitEnv = command.optsWithGlobals<{ env?: string }>().env;
      const { rotations } = await cli.run(command, GetKeyRotations, explicitEnv === undefined ? {} : { env: explicitEnv });
      cli.output.result(rotations, () =>
        formatTable(
          ['ROTATION', 'ENV', 'NEW KEY', 'STARTED', 'BY', 'COMPLETED', 'RE-ENCRYPTED', 'FAILED'],
          rotations.map((r) => [r.rotationId, r.env, r.newKeyId, r.startedAt, r.startedBy, r.completedAt ?? 'in progress', r.reEncrypted, r.failures.length]),
        ),
      );
    },
  );
};
