import { once } from 'node:events';
import { InvalidArgumentError, type Command } from 'commander';
import { positiveInteger } from '../../../interfaces/cli/parse-args.js';
import { progressBar } from '../../../interfaces/cli/progress.js';
import type { CliContext, GlobalOptions } from '../../../interfaces/cli/session.js';
import { defineVerb } from '../../../interfaces/cli/verbs/define-verb.js';
import { verbGroup } from '../../../interfaces/cli/verbs/group.js';
import { atArgument } from '../../at-argument.js';
import type { ReportFormat } from './report-format.js';
import { GetAccessReport } from './get-access-report.use-case.js';

const format = (raw: string): ReportFormat => {
  if (raw !== 'table' && raw !== 'json' && raw !== 'csv') throw new InvalidArgumentError('expected table, json or csv');
  return raw;
};

export const auditReportVerb = (program: Command, cli: CliContext): void => {
  const audit = verbGroup(program, 'audit', 'read and verify the tamper-evident audit log');
  defineVerb(audit, 'report', 'who read which secret, when, how and under which rule; denials, failed authentications, unread secrets, unused tokens (streamed)')
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
        await cli.withStrongroom(command, async (strongroom) => {
          const report = await strongroom.execute(GetAccessReport, input);
          // A bar on a terminal only; stdout stays the report.
          const bar = progressBar(cli.output, 'report');
          const total = Math.max(1, report.head - report.start);
          const tick = setInterval(() => bar.update(Math.min(total, report.reached() - report.start), total), 200);
          try {
            for await (const line of report.lines(cli.output.json ? 'json' : flags.format)) {
              if (!process.stdout.write(line)) await once(process.stdout, 'drain');
            }
            bar.update(total, total);
          } finally {
            clearInterval(tick);
            bar.stop();
          }
        });
      },
    );
};
