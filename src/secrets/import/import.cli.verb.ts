import { extname } from 'node:path';
import { Option, type Command } from 'commander';
import { progressBar } from '../../interfaces/cli/progress.js';
import type { CliContext } from '../../interfaces/cli/session.js';
import { defineVerb } from '../../interfaces/cli/verbs/define-verb.js';
import { ErrorCode, StrongroomError } from '../../shared/errors.js';
import { StoreSecret } from '../commands/store-secret/store-secret.use-case.js';
import { UpdateSecret } from '../commands/update-secret/update-secret.use-case.js';
import { listAllSecrets } from '../queries/list-secrets/list-all-secrets.js';
import { planImport, type ImportAction, type PlannedImport } from './import-plan.js';
import { parseDotenv, parseJsonSecrets, readTextFile, type ImportEntry } from './import-sources.js';
import { readMuxiFormation } from './muxi-formation.js';

interface ImportFlags {
  readonly format?: 'dotenv' | 'json';
  readonly from?: 'muxi';
  readonly prefix?: string;
  readonly dryRun?: boolean;
  readonly skipExisting?: boolean;
}

const entriesOf = (source: string, flags: ImportFlags, warn: (text: string) => void): ImportEntry[] => {
  if (flags.from === 'muxi') {
    if (flags.format !== undefined) throw new StrongroomError(ErrorCode.InvalidInput, '--from muxi reads a formation directory; it takes no --format');
    const { entries, converted } = readMuxiFormation(source);
    if (converted.length > 0) warn(`note: ${converted.join(', ')} held JSON values other than strings; each is imported as its JSON text`);
    return entries;
  }
  const format = flags.format ?? (extname(source).toLowerCase() === '.json' ? 'json' : 'dotenv');
  const text = readTextFile(source, 'import file');
  return format === 'json' ? parseJsonSecrets(text, source) : parseDotenv(text, source);
};

const summary = (plan: readonly PlannedImport[], action: ImportAction): string[] => plan.filter((p) => p.action === action).map((p) => p.name);

/**
 * `strongroom import [--format dotenv|json] FILE` and `strongroom import --from muxi DIR`: every entry
 * checked first, then each stored as a normal StoreSecret (new name) or UpdateSecret (existing name: a
 * new version; `--skip-existing` leaves it), through the pipeline like any other write. `--dry-run`
 * lists what would change and writes nothing. A failure part-way says what was already written.
 */
export const importVerb = (program: Command, cli: CliContext): void => {
  defineVerb(program, 'import <source>', 'store secrets from a dotenv or JSON file, or from a MUXI formation directory (--from muxi)')
    .addOption(new Option('--format <format>', 'dotenv or json (default: json for a .json file, else dotenv)').choices(['dotenv', 'json']))
    .addOption(new Option('--from <kind>', 'read another secrets store: muxi (a formation directory with .key and secrets.enc)').choices(['muxi']))
    .option('--prefix <prefix>', 'put this in front of every imported name (e.g. payments/)')
    .option('--dry-run', 'list what would be created or updated, and write nothing')
    .option('--skip-existing', 'leave secrets that already exist as they are (default: add a new version)')
    .action(async (source: string, flags: ImportFlags, command: Command) => {
      const { output } = cli;
      const entries = entriesOf(source, flags, (t) => output.warn(t));
      const env = cli.env(command);
      const { maxValueBytes } = cli.options(command);
      await cli.withRunner(command, async (strongroom) => {
        const existing = new Map((await listAllSecrets(strongroom, env, flags.prefix)).map((s) => [s.name, s.status] as const));
        const plan = planImport(entries, { prefix: flags.prefix ?? '', existing, skipExisting: flags.skipExisting === true, maxValueBytes });
        const report = { env, dryRun: flags.dryRun === true, created: summary(plan, 'create'), updated: summary(plan, 'update'), skipped: summary(plan, 'skip') };
        if (flags.dryRun) {
          return output.result(report, () => [`Would import into ${env} (nothing written):`, ...plan.map((p) => `  ${p.action.padEnd(6)} ${p.name}`)].join('\n'));
        }
        const bar = progressBar(output, 'Importing');
        let done = 0;
        try {
          for (const item of plan) {
            if (item.action === 'create') await strongroom.execute(StoreSecret, { env, name: item.name, value: item.value });
            if (item.action === 'update') await strongroom.execute(UpdateSecret, { env, ref: item.name, value: item.value });
            bar.update(++done, plan.length);
          }
        } catch (e) {
          bar.stop();
          const written = plan.slice(0, done).filter((p) => p.action !== 'skip').length;
          output.warn(`import stopped at ${plan[done]?.name ?? '?'}: ${written} secret(s) before it were written, nothing after it`);
          throw e;
        }
        bar.stop();
        output.result(report, () => `Imported into ${env}: ${report.created.length} created, ${report.updated.length} updated, ${report.skipped.length} skipped`);
      });
    });
};
