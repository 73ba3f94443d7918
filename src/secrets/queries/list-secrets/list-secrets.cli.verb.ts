import type { Command } from 'commander';
import { collectList, positiveInteger } from '../../../interfaces/cli/parse-args.js';
import type { CliContext } from '../../../interfaces/cli/session.js';
import { formatTable } from '../../../interfaces/cli/table.js';
import { defineVerb } from '../../../interfaces/cli/verbs/define-verb.js';
import { ListSecrets } from './list-secrets.use-case.js';

export const listSecretsVerb = (program: Command, cli: CliContext): void => {
  defineVerb(program, 'list-secrets', 'list secrets (names, ids, versions, status, keys; never values)')
    .option('--prefix <prefix>', 'only names starting with this')
    .option('--tag <key=value>', 'only secrets with this tag (repeatable: all must match)', collectList)
    .option('--limit <n>', 'at most this many (1-1000); the next page is printed on stderr as --cursor', positiveInteger)
    .option('--cursor <cursor>', 'continue a listing where its previous page ended')
    .action(async (flags: { prefix?: string; tag?: string[]; limit?: number; cursor?: string }, command: Command) => {
      const page = await cli.run(command, ListSecrets, { env: cli.env(command), prefix: flags.prefix, tag: flags.tag, limit: flags.limit, cursor: flags.cursor });
      const { secrets } = page;
      // --json prints the secrets as a list (as it always has); the cursor goes to stderr either way.
      cli.output.result(secrets, () =>
        formatTable(
          ['NAME', 'ID', 'VERSION', 'STATUS', 'UPDATED', 'KEY ID'],
          secrets.map((s) => [s.name + (s.binary ? ' (binary)' : ''), s.id, s.version, s.status + (s.purgeAt ? ` until ${s.purgeAt}` : ''), s.updatedAt, s.keyId]),
        ),
      );
      if (page.nextCursor !== null) cli.output.warn(`more: --cursor ${page.nextCursor}`);
    });
};
