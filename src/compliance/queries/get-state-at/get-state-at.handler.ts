import { Inject } from '@nestjs/common';
import { QueryHandler } from '@nestjs/cqrs';
import { GatedHandler } from '../../../kernel/gated-handler.js';
import type { Ticket } from '../../../kernel/ticket.js';
import { EVENT_LOG, type EventLog } from '../../../kernel/tokens.js';
import { ALL_ENVIRONMENTS } from '../../../kernel/authorisation.js';
import { AUDIT_READS_STREAM, recordListing } from '../../../secrets/listing-record.js';
import { Keyring } from '../../../keys/keyring.js';
import { PointInTime } from '../../point-in-time.js';
import { foldStateAt, policyAt, secretAt, tokenAt, type PolicyAt, type SecretAt } from '../../state-at.js';
import { GetStateAtQuery, type GetStateAtInput, type StateAt } from './get-state-at.query.js';

/**
 * @throws ENVIRONMENT_NOT_FOUND for an `env` that does not exist, INVALID_INPUT for a moment in the future.
 * Resolves the moment once, folds secrets, tokens and policies up to it, and records the read (it is a read of the audit trail). */
@QueryHandler(GetStateAtQuery)
export class GetStateAtHandler extends GatedHandler<GetStateAtQuery, StateAt> {
  constructor(
    @Inject(EVENT_LOG) private readonly log: EventLog,
    private readonly moments: PointInTime,
    private readonly keyring: Keyring,
  ) {
    super();
  }

  protected async handle(input: GetStateAtInput, ticket: Ticket): Promise<StateAt> {
    // An environment that does not exist is a mistake to name, not an empty answer.
    if (input.env !== undefined) this.keyring.activeKeyId(input.env);
    const moment = await this.moments.resolve(input.at);
    const folded = await foldStateAt(this.log, moment.position);
    const secrets: SecretAt[] = [];
    for (const { live } of folded.slots.values()) if (live && (input.env === undefined || live.env === input.env)) secrets.push(secretAt(live));
    secrets.sort((a, b) => (a.env === b.env ? compare(a.name, b.name) : compare(a.env, b.env)));
    // Tokens and policies span every environment: an auditor of one environment does not see them.
    const wholeStore = ticket.authorise('audit', { env: ALL_ENVIRONMENTS, secret: null }).allowed;
    const policies = wholeStore ? [...folded.access.allPolicies()].map(policyAt).filter((p): p is PolicyAt => p !== null) : [];
    policies.sort((a, b) => compare(a.name, b.name));
    const tokens = wholeStore ? [...folded.access.allTokens()].map(tokenAt).sort((a, b) => compare(a.createdAt, b.createdAt) || compare(a.tokenId, b.tokenId)) : [];
    await recordListing(ticket, AUDIT_READS_STREAM, 'AuditTrailRead', { kind: 'state', at: moment.position, ...(input.env !== undefined && { secretsOf: input.env }) });
    const withheld = wholeStore ? [] : (['tokens', 'policies'] as const);
    return { position: moment.position, occurredAt: moment.occurredAt, secrets, tokens, policies, withheld, unreadable: folded.unreadable.map((u) => u.position) };
  }
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
