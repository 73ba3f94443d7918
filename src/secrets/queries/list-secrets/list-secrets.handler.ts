import { Inject } from '@nestjs/common';
import { QueryHandler } from '@nestjs/cqrs';
import { GatedHandler } from '../../../kernel/gated-handler.js';
import type { Ticket } from '../../../kernel/ticket.js';
import { CLOCK } from '../../../kernel/tokens.js';
import { StrongroomProjection } from '../../../projection/strongroom-projection.js';
import type { Clock } from '../../../shared/clock.js';
import { ErrorCode, StrongroomError } from '../../../shared/errors.js';
import { rotationDueAt } from '../../domain/secret-lifecycle.js';
import { statusOf, type LiveSecret } from '../../domain/secret-slot.js';
import { listingStream, recordListing } from '../../listing-record.js';
import { refuseUnknownEnvironment, SecretResolver } from '../../secret-resolver.js';
import { ListSecretsQuery, type ListSecretsInput, type SecretPage, type SecretSummary } from './list-secrets.query.js';

const invalid = (message: string): StrongroomError => new StrongroomError(ErrorCode.InvalidInput, message);

/** `key=value` filters. @throws INVALID_INPUT for anything else. */
const tagFilters = (tag: string | string[] | undefined): [string, string][] =>
  (tag === undefined ? [] : Array.isArray(tag) ? tag : [tag]).map((t) => {
    const eq = t.indexOf('=');
    if (eq <= 0) throw invalid('tag must be key=value');
    return [t.slice(0, eq), t.slice(eq + 1)];
  });

/** A cursor is the page's last name, base64url: opaque to callers, and never a name spelt in a URL. */
const encodeCursor = (name: string): string => Buffer.from(name, 'utf8').toString('base64url');
const decodeCursor = (cursor: string): string => {
  const name = /^[A-Za-z0-9_-]+$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  if (name.length === 0 || encodeCursor(name) !== cursor) throw invalid('cursor is malformed; pass nextCursor from the previous page');
  return name;
};

@QueryHandler(ListSecretsQuery)
export class ListSecretsHandler extends GatedHandler<ListSecretsQuery, SecretPage> {
  constructor(
    private readonly projection: StrongroomProjection,
    private readonly resolver: SecretResolver,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    super();
  }

  protected async handle(input: ListSecretsInput, ticket: Ticket): Promise<SecretPage> {
    await this.resolver.waitForMinPosition(input.minPosition);
    const { env } = input;
    refuseUnknownEnvironment(this.projection, env);
    const tags = tagFilters(input.tag);
    const after = input.cursor === undefined ? undefined : decodeCursor(input.cursor);
    const now = this.clock.now();
    const secrets: SecretSummary[] = [];
    let nextCursor: string | null = null;
    for (const s of this.projection.secretsInNameOrder(env, { ...(after !== undefined && { after }), ...(input.prefix !== undefined && { prefix: input.prefix }) })) {
      if (!ticket.authorise('list', { env, secret: s.name }).allowed) continue;
      const describe = ticket.authorise('describe', { env, secret: s.name }).allowed;
      // Tags are shown (and matched) only where the caller may describe: a filter must not reveal them.
      if (tags.length > 0 && (!describe || !tags.every(([k, v]) => s.tags[k] === v))) continue;
      if (input.limit !== undefined && secrets.length === input.limit) {
        nextCursor = encodeCursor((secrets.at(-1) as SecretSummary).name);
        break;
      }
      secrets.push(summaryOf(s, describe, now));
    }
    await recordListing(ticket, listingStream(env), 'SecretsListed', {
      env,
      count: secrets.length,
      ...(input.prefix !== undefined && { prefix: input.prefix }),
      ...(tags.length > 0 && { tags: tags.map(([k, v]) => `${k}=${v}`) }),
    });
    return { secrets, nextCursor };
  }
}

/** Built field by field so neither ciphertext nor anything added to the slot later can leak here. */
const summaryOf = (s: LiveSecret, describe: boolean, now: Date): SecretSummary => {
  const dueAt = rotationDueAt(s);
  return {
    id: s.id,
    name: s.name,
    env: s.env,
    version: s.version,
    keyId: s.keyId,
    binary: s.binary,
    metadata: describe ? s.metadata : {},
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
    lastRotatedAt: s.lastRotatedAt,
    status: statusOf(s, now),
    stages: { current: s.version, ...s.stages },
    latestVersion: s.latestVersion,
    tags: describe ? s.tags : {},
    expiresAt: s.expiresAt,
    rotation: s.rotation === null || dueAt === null ? null : { every: s.rotation.every, dueAt, generated: s.rotation.generate !== undefined },
    deletedAt: s.deletedAt,
    purgeAt: s.purgeAt,
    destroyedVersions: s.destroyedVersions,
  };
};
