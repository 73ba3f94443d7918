import type { Type } from '@nestjs/common';
import type { z } from 'zod';
import type { AuthorisationScope, Capability, Resource } from './authorisation.js';
import type { GatedHandler } from './gated-handler.js';
import type { GatedMessage, Ticket } from './ticket.js';

/** How a use case names its resource when the input names a secret by id: the directory of secrets. */
export interface ResourceLookup {
  /** The name of the secret `ref` (an id or a name) in `env`, or null when there is none. */
  secretNameOf(env: string, ref: string): string | null;
}

/** An HTTP route of a use case, for the API document and the route test (the controller declares it too). */
export interface HttpRoute {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Fastify-style path, e.g. `/v1/envs/:env/secrets/:ref`. */
  readonly path: string;
  /**
   * A request that works, for the API document: path parameters by name, the rest as the JSON body (POST,
   * PUT, PATCH) or the query string (GET, DELETE). A test checks it against the route's schema.
   */
  readonly example?: Readonly<Record<string, unknown>>;
}

/**
 * One catalogue entry (DESIGN.md section 2): everything every interface needs to offer a use case and
 * everything the gate needs to admit it. HTTP routes, CLI verbs, `manageSecrets` and the bus all read
 * these, so adding a use case is its own folder plus one line in src/catalogue.ts.
 */
export interface UseCase<Input = unknown, Result = unknown> {
  /** Stable PascalCase name: the bus subject, the `manageSecrets` operation, the OpenAPI operation id. */
  readonly name: string;
  readonly kind: 'command' | 'query';
  /** One line for people: CLI help, API documentation. */
  readonly summary: string;
  /** The @nestjs/cqrs message class; the gate constructs it from validated input and a ticket. */
  readonly message: new (input: Input, ticket: Ticket) => GatedMessage<Input> & object;
  readonly handler: Type<GatedHandler<GatedMessage<Input>, Result>>;
  /** Shape and types of the input; values' own rules (sizes, name grammar) are the domain's. */
  readonly input: z.ZodType<Input>;
  /**
   * The capability the action needs (DESIGN.md section 9). `null` only for a question about the caller's
   * own rights (DescribeCaller): every authenticated principal may ask it, and the gate admits it without
   * consulting policies (its decision is SELF_DECISION). Authentication still happens at the interface.
   */
  readonly capability: Capability | null;
  /** How the action names its resource; runs before authorisation, so it must be cheap and pure. */
  readonly resource: (input: Input, lookup: ResourceLookup) => Resource;
  /** How `resource` is matched (AuthorisationScope, default `exact`); a function when the input decides (a pattern or a name). */
  readonly scope?: AuthorisationScope | ((input: Input) => AuthorisationScope);
  readonly http?: readonly HttpRoute[];
}

/** Identity, for type inference at the definition site. */
export const defineUseCase = <Input, Result>(useCase: UseCase<Input, Result>): UseCase<Input, Result> => useCase;

/** The input type of a use case. */
export type InputOf<U> = U extends UseCase<infer I, infer _R> ? I : never;
/** The result type of a use case. */
export type ResultOf<U> = U extends UseCase<infer _I, infer R> ? R : never;

/** Something that runs use cases by their catalogue entry: a local Strongroom, or a remote server through the SDK. */
export interface UseCaseRunner {
  execute<Input, Result>(useCase: UseCase<Input, Result>, input: unknown): Promise<Result>;
}
