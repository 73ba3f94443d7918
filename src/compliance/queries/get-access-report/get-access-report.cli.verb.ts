import { once } from 'node:events';
import { InvalidArgumentError, type Command } from 'commander';
import { positiveInteger } from '../../../interfaces/cli/parse-args.js';
import { progressBar } from '../../../interfaces/cli/progress.js';
import type { CliContext, GlobalOptions } from '../../../interfaces/cli/session.js';
import { defineVerb } from '../../../interfaces/cli/verbs/define-verb.js';
import { verbGroup } from '../../../interfaces/cli/verbs/group.js';
import type { StrongroomClient } from '../../../client/strongroom-client.js';
import type { AccessReportFilter, ReportProgress } from '../../../contracts/compliance.js';
import type { Output } from '../../../interfaces/cli/output.js';
import { atArgument } from '../../at-argument.js';
import { reportLines, type ReportFormat } from './report-format.js';
import { GetAccessReport } from './get-access-report.use-case.js';

/** Lines to stdout, waiting for the reader when the pipe is full. */
const toStdout = async (lines: AsyncIterable<string>): Promise<void> => {
  for await (const line of lines) if (!process.stdout.write(line)) await once(process.stdout, 'drain');
};

/**
 * A report from the server of --addr: its rows as they stream in, printed by the same formatter as a
 * local run, with the same bar on a terminal (following the rows' positions through the range the
 * server announced, redrawn every 200 ms rather than per row).
 */
const printRemoteReport = async (client: StrongroomClient, filter: AccessReportFilter, lineFormat: ReportFormat, output: Output): Promise<void> => {
  const bar = progressBar(output, 'report');
  let latest: ReportProgress | null = null;
  const draw = (): void => {
    if (latest === null) return;
    const total = Math.max(1, latest.head - latest.start);
    bar.update(Math.min(total, latest.reached - latest.start), total);
  };
  const tick = setInterval(draw, 200);
  try {
    await toStdout(reportLines(client.accessReport(filter, { onProgress: (p) => (latest = p) }), lineFormat));
    if (latest !== null) latest = { ...(latest as ReportProgress), reached: (latest as ReportProgress).head };
    draw();
  } finally {
    clearInterval(tick);
    bar.stop();
  }
};

const format = (raw: string): ReportFormat => {
  if (raw !== 'table' && raw !== 'json' && raw !== 'csv') throw new InvalidArgumentError('expected table, json or csv');
  return raw;
};

export const auditReportVerb = (program: Command, cli: CliContext): void => {
  const audit = verbGroup(program, 'audit', 'read and verify the tamper-evident audit log');
  defineVerb(audit, 'report', 'who read which secret, when, how and under which rule; denials, failed authentications, unread secrets, unused tokens (streamed)', { env: false })
    // Its own --env: a report spans every environment unless one is named (the verbs' default would say "default").
    .option('--env <name>', 'only this environment (default: every environment)')
    .option('--from <position|time>', 'from this log position or ISO-8601 time', atArgument)
    .option('--to <position|time>', 'up to this log position or ISO-8601 time', atArgument)
    .option('--secret <pattern>', 'secret names matching this pattern (`payments/*`, `**`)')
    .option('--principal <name>', 'only this principal')
    .option('--unused-days <n>', 'also list secrets nobody read, and tokens nobody used, for N days', positiveInteger)
    .option('--format <format>', 'table, json (JSON lines) or csv', format, 'table')
    .action(
      async (
        flags: { from?: number | string; to?: number | string; secret?: string; principal?: string; unusedDays?: number; format: ReportFormat },
        command: Command,
      ) => {
        const { env } = command.optsWithGlobals<GlobalOptions>();
        const input = { ...flags, ...(env !== undefined && { env }) } as Record<string, unknown>;
        delete input.format;
        delete input.json;
        const lineFormat = cli.output.json ? 'json' : flags.format;
        // With --addr: the server's rows as they stream in, printed by the same formatter as a local run.
        if (await cli.streamRemotely(command, (client) => printRemoteReport(client, input as AccessReportFilter, lineFormat, cli.output))) return;
        await cli.withStrongroom(command, async (strongroom) => {
          const report = await strongroom.execute(GetAccessReport, input);
          // A bar on a terminal only; stdout stays the report.
          const bar = progressBar(cli.output, 'report');
          const total = Math.max(1, report.head - report.start);
          const tick = setInterval(() => bar.update(Math.min(total, report.reached() - report.start), total), 200);
          try {
            // The text in chunks (worker threads on a long log), byte for byte what reportLines(rows) prints.
            await toStdout(report.lines(lineFormat));
            bar.update(total, total);
          } finally {
            clearInterval(tick);
            bar.stop();
          }
        });
      },
    );
};
