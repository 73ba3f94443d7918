import { Command } from 'commander';
import { ErrorCode } from '../../shared/errors.js';
import { EXIT_CODES_HELP } from './exit-codes.js';
import type { Output } from './output.js';
import { jsonError } from './report-error.js';
import type { GlobalOptions } from './session.js';
import { addSecretVerb } from './verbs/add-secret.verb.js';
import { auditVerbs } from './verbs/audit.verb.js';
import { deleteSecretVerb } from './verbs/delete-secret.verb.js';
import { getSecretVerb } from './verbs/get-secret.verb.js';
import { historyVerb } from './verbs/history.verb.js';
import { initVerb } from './verbs/init.verb.js';
import { listSecretsVerb } from './verbs/list-secrets.verb.js';
import { rotateKeyVerb } from './verbs/rotate-key.verb.js';
import { rotateMasterKeyVerb } from './verbs/rotate-master-key.verb.js';
import { rotateSecretVerb } from './verbs/rotate-secret.verb.js';
import { serveVerb } from './verbs/serve.verb.js';
import { storeVerbs } from './verbs/store.verb.js';
import { updateSecretVerb } from './verbs/update-secret.verb.js';

const VERBS = [
  initVerb,
  serveVerb,
  addSecretVerb,
  getSecretVerb,
  listSecretsVerb,
  updateSecretVerb,
  rotateSecretVerb,
  deleteSecretVerb,
  historyVerb,
  rotateKeyVerb,
  rotateMasterKeyVerb,
  auditVerbs,
  storeVerbs,
];

/** The `strongroom` program. Verbs only translate arguments into commands and queries and print results. */
export const buildProgram = (output: Output): Command => {
  const program = new Command('strongroom')
    .description('Strongroom: an event-sourced secrets service, where the audit log is the database.')
    .option('--home <dir>', 'Strongroom home (default: $STRONGROOM_HOME or ~/.strongroom)')
    .option('--store <url>', 'event store URL (default: sqlite:<home>/strongroom.db)')
    .option('--json', 'machine-readable JSON on stdout')
    // Set before the verbs are added, so they inherit it: failures come back to main() as exceptions,
    // where exit-codes.ts turns them into a status, instead of commander exiting on its own.
    .exitOverride()
    .configureOutput({
      outputError: (message, write) => (output.json ? output.writeOut(jsonError(ErrorCode.InvalidInput, message.replace(/^error: /, '').trim())) : write(message)),
    })
    .showHelpAfterError('(run `strongroom help` for usage)')
    .addHelpText('after', EXIT_CODES_HELP)
    .hook('preAction', (_program, verb) => {
      output.json = Boolean(verb.optsWithGlobals<GlobalOptions>().json);
    });
  for (const register of VERBS) register(program, output);
  return program;
};
