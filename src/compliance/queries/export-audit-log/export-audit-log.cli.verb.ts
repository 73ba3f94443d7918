import { once } from 'node:events';
import { createWriteStream, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { InvalidArgumentError, type Command } from 'commander';
import { nonNegativeInteger } from '../../../interfaces/cli/parse-args.js';
import type { CliContext } from '../../../interfaces/cli/session.js';
import { defineVerb } from '../../../interfaces/cli/verbs/define-verb.js';
import { verbGroup } from '../../../interfaces/cli/verbs/group.js';
import { ErrorCode, StrongroomError } from '../../../shared/errors.js';
import { ensureWritableDirectory } from '../../../shared/writable-directory.js';
import { batchedLines, exportLines } from './export-lines.js';
import { ExportAuditLog } from './export-audit-log.use-case.js';

const jsonlOnly = (raw: string): string => {
  if (raw !== 'jsonl') throw new InvalidArgumentError('the only export format is jsonl');
  return raw;
};

/** Lines to stdout, waiting for the reader when the pipe is full (a SIEM shipper may be slow). */
const toStdout = async (lines: AsyncIterable<string>): Promise<void> => {
  for await (const line of lines) if (!process.stdout.write(line)) await once(process.stdout, 'drain');
};

export const auditExportVerb = (program: Command, cli: CliContext): void => {
  const audit = verbGroup(program, 'audit', 'read and verify the tamper-evident audit log');
  defineVerb(audit, 'export', 'the log for auditors: metadata and digests (no value, ciphertext or key) as JSON lines, verifiable with the public key alone', { env: false })
    .option('--from <position>', 'only events after this position (0: all; a SIEM resumes after the last position it kept; a signed checkpoint there or after it anchors the export)', nonNegativeInteger)
    .option('--format <format>', 'jsonl (the only format)', jsonlOnly, 'jsonl')
    .option('--out <dir>', 'write DIR/events.jsonl (a new or empty directory) instead of stdout')
    .option('--follow', 'keep streaming new events to stdout (for a SIEM) until interrupted')
    .action(async (flags: { from?: number; out?: string; follow?: boolean }, command: Command) => {
      if (flags.follow && flags.out) throw new StrongroomError(ErrorCode.InvalidInput, '--follow streams to stdout; it does not combine with --out');
      const dir = flags.out === undefined ? null : resolve(flags.out);
      // Before the export starts (and is recorded): an unusable directory (a file, no permission) is refused first.
      if (dir) ensureWritableDirectory(dir, 'the export');
      if (dir && readdirSync(dir).length > 0) throw new StrongroomError(ErrorCode.InvalidInput, `${dir} is not empty; export into a new or empty directory`);
      const input = { ...(flags.from !== undefined && { from: flags.from }), ...(flags.follow && { follow: true }) };
      const write = async (lines: AsyncIterable<string>): Promise<void> => {
        if (!dir) return toStdout(lines);
        const file = join(dir, 'events.jsonl');
        try {
          await pipeline(Readable.from(lines), createWriteStream(file, { flags: 'wx' }));
        } catch (e) {
          // An export that stopped part way (a hole in the log, LOG_GAP; a lost connection) is not left
          // behind to be taken for a whole one; a file that was there before ('wx': EEXIST) is not ours.
          if ((e as { code?: unknown }).code !== 'EEXIST') rmSync(file, { force: true });
          throw e;
        }
        cli.output.note(`Exported to ${file}; verify with \`strongroom audit verify --export ${dir} --public-key FILE\`.`);
      };
      // With --addr: the server's lines exactly as it wrote them (the public chain covers their bytes).
      if (await cli.streamRemotely(command, (client) => write(batchedLines(client.exportAuditLog(input))))) return;
      await cli.withStrongroom(command, async (strongroom) => write(exportLines(await strongroom.execute(ExportAuditLog, input))));
    });
};
