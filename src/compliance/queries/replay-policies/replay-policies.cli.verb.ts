import type { Command } from 'commander';
import { readPolicyFile } from '../../../access/commands/set-policy/set-policy.cli.verb.js';
import { progressBar } from '../../../interfaces/cli/progress.js';
import type { CliContext } from '../../../interfaces/cli/session.js';
import { formatTable } from '../../../interfaces/cli/table.js';
import { defineVerb } from '../../../interfaces/cli/verbs/define-verb.js';
import { verbGroup } from '../../../interfaces/cli/verbs/group.js';
import { ErrorCode, StrongroomError } from '../../../shared/errors.js';
import { atArgument } from '../../at-argument.js';
import type { ReplayResult } from '../../policy-replay.js';
import { ReplayPolicies } from './replay-policies.use-case.js';

const human = (r: ReplayResult): string => {
  const lines = [
    // Every event up to the window's end is read (the policy state of the window needs the log before it);
    // only the actions inside the window are re-decided.
    `Read ${r.eventsRead} events up to position ${r.head}; ${r.checked} actions in the window re-decided with the policy of their time.`,
    `  ${r.confirmedAllowed} allowed and allowed then; ${r.confirmedDenied} refused and refused then; ${r.system} by Strongroom itself.`,
    r.findingsTotal === 0 ? 'Findings: none. Every action was allowed by the policy in force at its position.' : `Findings: ${r.findingsTotal}`,
  ];
  if (r.findingsTotal > 0) {
    lines.push(formatTable(['POSITION', 'AT', 'FINDING', 'EVENT', 'PRINCIPAL', 'CAPABILITY', 'ENV', 'SECRET', 'DETAIL'], r.findings.map((f) => [f.position, f.at, f.kind, f.type, f.principal, f.capability, f.env, f.secret, f.detail])));
  }
  const skipped = Object.entries(r.notChecked);
  if (skipped.length > 0) lines.push(`Not re-decided (no decision of their own): ${skipped.map(([t, n]) => `${t} ${n}`).join(', ')}`);
  if (r.whatIf) {
    lines.push('', `What-if against ${r.whatIf.against}: ${r.whatIf.wouldDeny} past allowed actions would be refused.`);
    for (const warning of r.whatIf.warnings) lines.push(`Warning: ${warning}`);
    if (r.whatIf.groups.length > 0) lines.push(formatTable(['PRINCIPAL', 'ENV', 'SECRET', 'CAPABILITY', 'COUNT', 'FIRST', 'LAST'], r.whatIf.groups.map((g) => [g.principal, g.env, g.secret, g.capability, g.count, g.first, g.last])));
  }
  return lines.join('\n');
};

export const auditReplayVerb = (program: Command, cli: CliContext): void => {
  const audit = verbGroup(program, 'audit', 'read and verify the tamper-evident audit log');
  defineVerb(audit, 'replay', 're-decide every recorded action with the policy of its time; exit 7 when any was not allowed; --against for a what-if', { env: false })
    .option('--from <position|time>', 're-decide actions from this log position or ISO-8601 time', atArgument)
    .option('--to <position|time>', 'up to this log position or ISO-8601 time', atArgument)
    .option('--against <current|file>', 'what-if: `current` policies, or a proposed policy document (JSON or YAML) for --policy')
    .option('--policy <name>', 'the policy the proposed document of --against FILE replaces')
    .action(async (flags: { from?: number | string; to?: number | string; against?: string; policy?: string }, command: Command) => {
      if (flags.against !== undefined && flags.against !== 'current' && flags.policy === undefined) {
        throw new StrongroomError(ErrorCode.InvalidInput, '--against FILE needs --policy NAME: the policy the proposed document replaces');
      }
      if (flags.policy !== undefined && (flags.against === undefined || flags.against === 'current')) throw new StrongroomError(ErrorCode.InvalidInput, '--policy goes with --against FILE');
      const against =
        flags.against === undefined ? undefined : flags.against === 'current' ? 'current' : { policy: flags.policy, document: readPolicyFile(flags.against) };
      const bar = progressBar(cli.output, 'replay');
      const result = await cli
        .run(command, ReplayPolicies, {
          ...(flags.from !== undefined && { from: flags.from }),
          ...(flags.to !== undefined && { to: flags.to }),
          ...(against !== undefined && { against }),
          onProgress: (position: number, head: number) => bar.update(position, Math.max(head, 1)),
        })
        .finally(() => bar.stop());
      cli.output.result(result, () => human(result));
      // Findings are a failed check, like a broken chain: scripts and CI see them in the exit status.
      if (result.findingsTotal > 0) cli.output.exitStatus = 7;
    });
};
