import { closeSync, fchmodSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { Option, type Command } from 'commander';
import type { CliContext } from '../../../interfaces/cli/session.js';
import { defineVerb } from '../../../interfaces/cli/verbs/define-verb.js';
import { ErrorCode, StrongroomError } from '../../../shared/errors.js';
import { EXPORT_FORMATS, formatExport, type ExportFormat } from './export-format.js';
import { readTextExport } from './text-export.js';

interface ExportFlags {
  readonly format?: ExportFormat;
  readonly prefix?: string;
  readonly output?: string;
  readonly yes?: boolean;
}

/** A new file, 0600 from its first byte, never replacing one: it holds every exported value. */
const writePrivateFile = (path: string, text: string): void => {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new StrongroomError(ErrorCode.InvalidInput, `${path} already exists; export writes only to a new file`);
    throw new StrongroomError(ErrorCode.InvalidInput, `cannot create ${path} (${code ?? 'error'})`);
  }
  try {
    fchmodSync(fd, 0o600); // whatever the umask did
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
};

/**
 * `strongroom export [--format dotenv|json] [--prefix P] [--output FILE] [--yes]`: every secret the
 * caller may list (under the prefix), each an audited read. Refuses to print values onto a terminal
 * unless `--yes` says so (before anything is read); `--output` writes a new 0600 file instead.
 */
export const exportSecretsVerb = (program: Command, cli: CliContext): void => {
  defineVerb(program, 'export', 'write secrets as dotenv or JSON (each an audited read); refuses a terminal without --yes')
    .addOption(new Option('--format <format>', 'dotenv or json (default: json with --json, else dotenv)').choices(EXPORT_FORMATS))
    .option('--prefix <prefix>', 'only secrets whose name starts with this (removed from the exported names)')
    .option('--output <file>', 'write to this new file (created 0600) instead of stdout')
    .option('--yes', 'print the values even when stdout is a terminal')
    .action(async (flags: ExportFlags, command: Command) => {
      const json = cli.output.json;
      if (json && flags.format === 'dotenv') throw new StrongroomError(ErrorCode.InvalidInput, '--json asks for JSON; it cannot be combined with --format dotenv');
      const format: ExportFormat = flags.format ?? (json ? 'json' : 'dotenv');
      if (flags.output === undefined && process.stdout.isTTY && !flags.yes) {
        throw new StrongroomError(ErrorCode.InvalidInput, 'export would print secret values on this terminal; redirect it, use --output FILE, or pass --yes');
      }
      const prefix = flags.prefix ?? '';
      const exported = await cli.withRunner(command, (strongroom) => readTextExport(strongroom, { env: cli.env(command), prefix, asVariables: format === 'dotenv' }));
      const text = formatExport(exported.values, exported.variables, format, prefix);
      if (flags.output === undefined) return cli.output.writeOut(text);
      writePrivateFile(flags.output, text);
      cli.output.note(`Exported ${exported.values.size} secret(s) from ${exported.env} to ${flags.output} (mode 0600)`);
    });
};
