import { timingSafeEqual } from 'node:crypto';
import type { Caller, Principal } from '../kernel/caller.js';
import type { AccessProjection } from '../projection/access-projection.js';
import type { Clock } from '../shared/clock.js';
import { ErrorCode, StrongroomError } from '../shared/errors.js';
import type { TokenRecord } from './domain/access-state.js';
import type { AuthenticationFailure, FailedAuthentications } from './failed-authentications.js';
import { tokenHash, tokenIdOf } from './token-format.js';

export interface Presented {
  /** The token text as presented (a bearer token, a bus header, STRONGROOM_TOKEN); undefined when none. */
  readonly token: string | undefined;
  readonly interface: Caller['interface'];
  readonly client: string | null;
}

const MESSAGES: Readonly<Record<AuthenticationFailure, string>> = {
  missing: 'a token is required',
  malformed: 'the token is not a Strongroom token',
  unknown: 'the token is not known to this store (or this replica has not yet seen it: pass X-Strongroom-Min-Position)',
  expired: 'the token has expired',
  revoked: 'the token has been revoked',
};

/** The principal a token record stands for. */
export const principalOfToken = (token: TokenRecord): Principal =>
  Object.freeze({ kind: token.kind, name: token.principal, tokenId: token.tokenId, root: token.root, policies: token.policies });

/**
 * Authentication for every interface that takes tokens (HTTP, the bus, a library opened with a token).
 * The token's record is found by its id (or, for legacy tokens, its digest), then the digests are
 * compared in constant time; expiry is checked against the injected clock. Every failure is recorded
 * (aggregated, see FailedAuthentications) before the caller hears UNAUTHENTICATED.
 */
export class TokenAuthenticator {
  constructor(
    private readonly access: () => AccessProjection,
    private readonly clock: Clock,
    private readonly failures: FailedAuthentications,
  ) {}

  authenticate(presented: Presented): Principal {
    const { token } = presented;
    if (token === undefined || token.length === 0) return this.refuse(presented, 'missing', null);
    const id = tokenIdOf(token);
    if (id === null) return this.refuse(presented, 'malformed', null);
    const digest = tokenHash(token);
    const access = this.access();
    const tokenId = id === 'legacy' ? access.legacyTokenId(digest) : id;
    const record = tokenId === undefined ? null : access.token(tokenId).token;
    if (!record || !timingSafeEqual(Buffer.from(record.tokenHash, 'hex'), Buffer.from(digest, 'hex'))) {
      // A rotated token keeps its id with a new secret: say so, rather than send the caller looking for
      // a replica that has not caught up. (Token ids are not secret; they appear in lists and the log.)
      const rotated = record !== null && record.rotatedAt !== null ? 'the token is not the current one for its id: it was rotated, use the new token' : undefined;
      return this.refuse(presented, 'unknown', id === 'legacy' ? null : id, rotated);
    }
    if (record.revokedAt !== null) return this.refuse(presented, 'revoked', record.tokenId);
    if (record.expiresAt !== null && Date.parse(record.expiresAt) <= this.clock.now().getTime()) return this.refuse(presented, 'expired', record.tokenId);
    return principalOfToken(record);
  }

  private refuse(presented: Presented, reason: AuthenticationFailure, tokenId: string | null, message: string = MESSAGES[reason]): never {
    this.failures.record({ interface: presented.interface, reason, tokenId, client: presented.client });
    throw new StrongroomError(ErrorCode.Unauthenticated, message, { reason });
  }
}
