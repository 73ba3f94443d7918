import type { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { z } from 'zod';
import { ErrorCode, StrongroomError } from '../shared/errors.js';
import { SELF_DECISION, type AuthorisationScope, type Authoriser, type Capability, type Decision, type Resource } from './authorisation.js';
import type { Caller, Principal } from './caller.js';
import { deniedStream, GATE_SCHEMA_VERSIONS, type AccessDeniedData } from './gate-events.js';
import type { IdempotencyLog } from './idempotency.js';
import { takeAdmitter, type Ticket } from './ticket.js';
import type { ResourceLookup, UseCase } from './use-case.js';
import type { WritePath } from './write-path.js';

// Taken once, here: no other module can stamp a message as admitted.
const admit = takeAdmitter();

/** Something to do before state is loaded, e.g. see writes other processes committed to the same file. */
export interface Freshness {
  ensure(): Promise<void>;
}

export interface PipelineDependencies {
  readonly commandBus: CommandBus;
  readonly queryBus: QueryBus;
  readonly writePath: WritePath;
  readonly authoriser: Authoriser;
  readonly lookup: ResourceLookup;
  readonly freshness: Freshness;
  /** Commands sent with an idempotency key act once (see idempotency.ts). */
  readonly idempotency: IdempotencyLog;
  /**
   * The caller's principal as the state the decision is made on has it (TokenAuthenticator.current):
   * refuses a token revoked, expired or rotated since the interface authenticated it.
   * @throws UNAUTHENTICATED
   */
  readonly principals: { current(principal: Principal, via: Caller['interface']): Principal };
}

/**
 * The one way in (DESIGN.md section 2). Every interface authenticates its caller, then hands the use
 * case's catalogue entry, the raw input and the caller here:
 *   validate shape -> catch up -> name the resource -> authorise (pure; a denial is recorded, then
 *   ACCESS_DENIED) -> admit the message with a ticket -> the handler loads, decides and appends through the
 *   ticket (the one write path), waits for its projection, replies.
 * Modelled on Emmett's command handling with middleware; `@nestjs/cqrs` still routes the messages.
 */
export class Pipeline {
  constructor(private readonly deps: PipelineDependencies) {}

  async execute<Input, Result>(useCase: UseCase<Input, Result>, raw: unknown, authenticated: Caller): Promise<Result> {
    const input = parseInput(useCase.input, raw);
    // Catch up before deciding: a policy narrowed by another process on the same file must already
    // apply to this request (policy replay would otherwise find the read it let through).
    await this.deps.freshness.ensure();
    // The same for the token itself: revoked by another process since the interface authenticated it
    // (or since a library opened with it), it is refused here.
    const principal = this.deps.principals.current(authenticated.principal, authenticated.interface);
    const caller = principal === authenticated.principal ? authenticated : { ...authenticated, principal };
    const resource = useCase.resource(input, this.deps.lookup);
    const capability = useCase.capability;
    const scope = typeof useCase.scope === 'function' ? useCase.scope(input) : (useCase.scope ?? 'exact');
    const decision = capability === null ? SELF_DECISION : this.deps.authoriser.authorise(caller.principal, capability, resource, scope);
    if (!decision.allowed && capability !== null) await this.refuse(useCase.name, capability, caller, resource, scope, decision);
    const dispatch = (): Promise<Result> => {
      const message = new useCase.message(input, this.ticket(useCase.name, caller, decision));
      admit(message);
      // Both buses route by the message's class; which one is the catalogue entry's to say.
      return (useCase.kind === 'command' ? this.deps.commandBus.execute(message as never) : this.deps.queryBus.execute(message as never)) as Promise<Result>;
    };
    const key = caller.idempotencyKey;
    if (useCase.kind !== 'command' || key === undefined) return dispatch();
    return this.deps.idempotency.once(useCase.name, input, caller, key, dispatch);
  }

  private ticket(useCase: string, caller: Caller, decision: Decision): Ticket {
    const { writePath, authoriser } = this.deps;
    return Object.freeze({
      useCase,
      caller,
      decision,
      write: (write) => writePath.write(write, caller),
      record: (stream, events, schemaVersions, wait) => writePath.record(stream, events, schemaVersions, caller, wait),
      redact: (redactions) => writePath.redact(redactions),
      catchUp: () => writePath.catchUp(),
      authorise: (capability, resource, scope) => authoriser.authorise(caller.principal, capability, resource, scope),
      deny: (capability, resource, decision) => this.refuse(useCase, capability, caller, resource, 'exact', decision),
    } satisfies Ticket);
  }

  /** Records the refusal (fail closed: if it cannot be recorded, the caller hears that instead), then refuses. */
  private async refuse(useCase: string, capability: Capability, caller: Caller, resource: Resource, scope: AuthorisationScope, decision: Decision & { allowed: false }): Promise<never> {
    const data: AccessDeniedData = {
      useCase,
      capability,
      env: resource.env,
      secret: resource.secret,
      reason: decision.reason,
      rule: decision.rule,
      ...(scope === 'pattern' && { scope }),
    };
    await this.deps.writePath.record(deniedStream(resource), [{ type: 'AccessDenied', data }], GATE_SCHEMA_VERSIONS, caller, false);
    // The secret's name is in the log, not in the answer: a request by id must not learn the name.
    const what = resource.secret === null ? 'in' : scope === 'pattern' ? `the secrets matching ${resource.secret} in` : 'this secret in';
    throw new StrongroomError(
      ErrorCode.AccessDenied,
      `${caller.principal.name} may not ${capability} ${what} environment ${resource.env}: ${decision.reason}`,
      { capability, env: resource.env },
    );
  }
}

/**
 * Shape and type errors, without the value: zod's messages name the field and what was expected,
 * never what was received, and we add nothing from the input.
 */
const parseInput = <Input>(schema: z.ZodType<Input>, raw: unknown): Input => {
  const result = schema.safeParse(raw ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : 'input';
  throw new StrongroomError(ErrorCode.InvalidInput, `${field}: ${issue ? issueText(issue, raw) : 'invalid'}`, { field });
};

/**
 * An issue in words that help: a missing field is "required" (zod says "Invalid input" for a missing
 * union such as `at`, "expected number, received undefined" otherwise), with what the field takes when
 * zod knows; a union's own message is taken from the branch that came closest (e.g. `at`'s "a log
 * position or an ISO-8601 time"), since the union's is only "Invalid input".
 */
const issueText = (issue: z.core.$ZodIssue, raw: unknown): string => {
  const missing = issue.path.length > 0 && valueAt(raw, issue.path) === undefined && (issue.code === 'invalid_type' || issue.code === 'invalid_union');
  if (missing) {
    const expected = issue.code === 'invalid_union' ? issue.errors.flatMap((branch) => branch.map((b) => (b.code === 'invalid_type' ? b.expected : undefined))) : [issue.expected];
    const kinds = [...new Set(expected.filter((e): e is string => typeof e === 'string'))];
    return kinds.length > 0 ? `required (${kinds.map((k) => `a ${k}`).join(' or ')})` : 'required';
  }
  if (issue.code === 'invalid_union') {
    const closest = issue.errors.flat().find((b) => b.code !== 'invalid_type');
    if (closest !== undefined) return closest.message;
    // A value of none of the branches' types: the union's own words, or the types it takes.
    if (issue.message === 'Invalid input') {
      const kinds = [...new Set(issue.errors.flat().map((b) => (b.code === 'invalid_type' ? b.expected : undefined)).filter((e): e is string => typeof e === 'string'))];
      if (kinds.length > 0) return `expected ${kinds.map((k) => `a ${k}`).join(' or ')}`;
    }
  }
  return issue.message;
};

const valueAt = (raw: unknown, path: readonly PropertyKey[]): unknown =>
  path.reduce<unknown>((at, key) => (typeof at === 'object' && at !== null ? (at as Record<PropertyKey, unknown>)[key] : undefined), raw);
