import { availableParallelism } from 'node:os';
import { Inject } from '@nestjs/common';
import { QueryHandler } from '@nestjs/cqrs';
import { compileRule } from '../../../access/domain/authorise.js';
import { parsePolicyDocument } from '../../../access/domain/policy-document.js';
import { currentPolicy } from '../../../access/domain/access-state.js';
import { readAllPages } from '../../../audit/verify-chain.js';
import { GatedHandler } from '../../../kernel/gated-handler.js';
import type { Ticket } from '../../../kernel/ticket.js';
import { EVENT_LOG, OPTIONS, type EventLog } from '../../../kernel/tokens.js';
import type { StrongroomOptions } from '../../../config/options.js';
import { canReadRanges } from '../../../event-store/range-reader.js';
import { contiguousPages } from '../../../event-store/contiguous-positions.js';
import { inWorkers, rangesOf, workerScriptExists } from '../../range-workers.js';
import type { ReplayWorkerInit } from '../../replay-range.worker.js';
import { StrongroomProjection } from '../../../projection/strongroom-projection.js';
import { AUDIT_READS_STREAM, recordListing } from '../../../secrets/listing-record.js';
import { ErrorCode, StrongroomError } from '../../../shared/errors.js';
import { refuseBackwardWindow, type AtInput } from '../../point-in-time.js';
import { mergeReplay, replayPolicies, type ReplayPartial, type ReplayResult, type ReplayWindow, type WhatIfRules } from '../../policy-replay.js';
import { environmentNames } from '../../../keys/domain/keyring-state.js';
import { unmatchedEnvironmentPatterns } from './proposed-policy-warnings.js';
import { ReplayPoliciesQuery, type ReplayPoliciesInput } from './replay-policies.query.js';

/**
 * Replays the whole log (the policy state of any position needs every token and policy event before it).
 * @throws LOG_GAP when positions up to the window's end are missing (on this thread, or found by a worker's range)
 */
@QueryHandler(ReplayPoliciesQuery)
export class ReplayPoliciesHandler extends GatedHandler<ReplayPoliciesQuery, ReplayResult> {
  constructor(
    @Inject(EVENT_LOG) private readonly log: EventLog,
    private readonly projection: StrongroomProjection,
    @Inject(OPTIONS) private readonly options: StrongroomOptions,
  ) {
    super();
  }

  protected async handle(input: ReplayPoliciesInput, ticket: Ticket): Promise<ReplayResult> {
    refuseBackwardWindow(input.from, input.to);
    const window: ReplayWindow = { ...bound(input.from, 'from'), ...bound(input.to, 'to') };
    const against = input.against === undefined ? undefined : this.whatIf(input.against);
    const head = await this.log.headPosition();
    const { onProgress: _callback, ...recorded } = input;
    await recordListing(ticket, AUDIT_READS_STREAM, 'AuditTrailRead', {
      kind: 'replay',
      ...recorded,
      ...(typeof input.against === 'object' && { against: { policy: input.against.policy } }),
    });
    const to = Math.min(head, window.toPosition ?? head);
    const onProgress = (position: number): void => input.onProgress?.(position, to);
    const bounded: ReplayWindow = { ...window, toPosition: to };
    // A what-if's rules are closures over today's state: they stay on this thread.
    if (against === undefined && to >= THREADED_FROM && availableParallelism() > 1 && canReadRanges(this.options.store) && workerScriptExists(REPLAY_WORKER)) {
      const init: ReplayWorkerInit = { url: this.options.store, window: bounded };
      return mergeReplay(inWorkers<ReplayPartial>(REPLAY_WORKER, init, rangesOf(0, to, RANGE), availableParallelism()), bounded, onProgress);
    }
    // Findings of "none" over a log with a hole would be false evidence: a hole fails the replay (LOG_GAP).
    return replayPolicies(contiguousPages(readAllPages(this.log), 0, to), bounded, against, onProgress);
  }

  /**
   * The rules of the what-if: today's, or today's with one policy replaced by a proposed document. A
   * policy the log does not have yet is a real question (the console asks it before a new policy is
   * saved), but no token holds it, so nothing recorded can be refused by it: said as a warning, with the
   * policies there are, so a typo in the name does not pass as "nothing would be refused".
   * @throws INVALID_INPUT for an invalid document
   */
  private whatIf(against: NonNullable<ReplayPoliciesInput['against']>): WhatIfRules {
    const state = this.projection.accessState;
    if (against === 'current') {
      // A snapshot: the replay runs across turns of the event loop while the live state may change.
      const snapshot = new Map([...state.allPolicies()].map((p) => [p.name, state.rulesOf([p.name])]));
      return { name: 'current', rulesOf: (policies) => policies.flatMap((p) => snapshot.get(p) ?? []) };
    }
    const record = state.policy(against.policy).policy ?? undefined;
    const unknown: string[] = [];
    if (record === undefined) {
      const known = [...state.allPolicies()].map((p) => p.name).sort();
      unknown.push(
        `policy "${against.policy}" is not in the log (${known.length === 0 ? 'it has none' : `it has ${known.slice(0, 20).join(', ')}${known.length > 20 ? ', …' : ''}`}): no token holds it, so nothing recorded can be refused by it; check the name`,
      );
    }
    const document = parsePolicyDocument(against.document);
    const version = (record === undefined ? 0 : (currentPolicy(record)?.version ?? 0)) + 1;
    const proposed = document.rules.map((rule, index) => compileRule(rule, against.policy, version, index));
    const others = new Map([...state.allPolicies()].map((p) => [p.name, state.rulesOf([p.name])]));
    return {
      name: `proposed ${against.policy} (version ${version})`,
      rulesOf: (policies) => policies.flatMap((p) => (p === against.policy ? proposed : (others.get(p) ?? []))),
      warnings: [...unknown, ...unmatchedEnvironmentPatterns(document, environmentNames(this.projection.keys))],
    };
  }
}

/**
 * A replay of at least this many positions is split between worker threads (one per core, each on its
 * own read connection), RANGE positions at a time; below it, one thread is as quick
 * (starting and warming up the threads costs a few hundred ms; see BENCHMARKS.md).
 */
const THREADED_FROM = 500_000;
const RANGE = 20_000;
const REPLAY_WORKER = new URL('../../replay-range.worker.js', import.meta.url);

const bound = (at: AtInput | undefined, which: 'from' | 'to'): ReplayWindow => {
  if (at === undefined) return {};
  if (typeof at === 'number') return which === 'from' ? { fromPosition: at } : { toPosition: at };
  const ms = Date.parse(at);
  if (Number.isNaN(ms)) throw new StrongroomError(ErrorCode.InvalidInput, `${which}: not a time`);
  return which === 'from' ? { fromTime: ms } : { toTime: ms };
};
