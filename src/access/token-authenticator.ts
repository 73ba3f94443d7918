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

/** Why a presented token was not accepted, before it is recorded. */
interface Refusal {
  readonly reason: AuthenticationFailure;
  readonly tokenId: string | null;
  readonly message: string;
}

/**
 * Authentication for every interface that takes tokens (HTTP, the bus, a library opened with a token).
 * The token's record is found by its id (or, for legacy tokens, its digest), then the digests are
 * compared in constant time; expiry is checked against the injected clock. Every failure is recorded
 * (aggregated, see FailedAuthentications) before the caller hears UNAUTHENTICATED.
 *
 * Another process may have issued, revoked or rotated the token a moment ago (a CLI on the same SQLite
 * file, another replica): a token this process does not know yet is looked for again after catching up
 * with the log (`authenticateFresh`), and the pipeline checks the principal again against the state it
 * decides on (`current`), so a revocation applies to the very next request however the caller got in.
 */
export class TokenAuthenticator {
  /** The digest each principal was authenticated with, to tell a rotated token from the current one. */
  private readonly credentials = new WeakMap<Principal, string>();

  constructor(
    private readonly access: () => AccessProjection,
    private readonly clock: Clock,
    private readonly failures: FailedAuthentications,
    /** Brings this process's projection up to the log's head (WritePath.catchUp). */
    private readonly catchUp: () => Promise<void> = async () => undefined,
  ) {}

  /**
   * The principal `presented` authenticates as, on this process's state as it is.
   * @throws UNAUTHENTICATED (the failure recorded first) for a missing, malformed, unknown, revoked or expired token
   */
  authenticate(presented: Presented): Principal {
    const outcome = this.check(presented);
    return 'refused' in outcome ? this.refuse(presented, outcome.refused) : outcome.principal;
  }

  /**
   * As `authenticate`, but a token unknown here is looked for again after catching up with the log,
   * so a token another process just issued is accepted rather than recorded as a failed authentication.
   * @throws UNAUTHENTICATED as `authenticate`
   */
  async authenticateFresh(presented: Presented): Promise<Principal> {
    let outcome = this.check(presented);
    if ('refused' in outcome && outcome.refused.reason === 'unknown' && outcome.refused.tokenId !== null) {
      await this.catchUp();
      outcome = this.check(presented);
    }
    return 'refused' in outcome ? this.refuse(presented, outcome.refused) : outcome.principal;
  }

  /**
   * The principal as the current state has it (the pipeline calls this after catching up, before it
   * decides): a token revoked, expired, rotated or removed since it was authenticated is refused, and
   * a token's policies are the ones it holds now. Principals without a token are returned as they are.
   * @throws UNAUTHENTICATED (recorded) when the token is no longer valid
   */
  current(principal: Principal, via: Presented['interface']): Principal {
    if (principal.tokenId === null) return principal;
    const record = this.access().token(principal.tokenId).token;
    const digest = this.credentials.get(principal);
    const presented: Presented = { token: undefined, interface: via, client: null };
    if (!record || (digest !== undefined && record.tokenHash !== digest)) {
      const rotated = record && record.rotatedAt !== null ? 'the token is not the current one for its id: it was rotated, use the new token' : MESSAGES.unknown;
      return this.refuse(presented, { reason: 'unknown', tokenId: principal.tokenId, message: rotated });
    }
    if (record.revokedAt !== null) return this.refuse(presented, { reason: 'revoked', tokenId: record.tokenId, message: MESSAGES.revoked });
    if (record.expiresAt !== null && Date.parse(record.expiresAt) <= this.clock.now().getTime()) {
      return this.refuse(presented, { reason: 'expired', tokenId: record.tokenId, message: MESSAGES.expired });
    }
    const same = record.principal === principal.name && record.kind === principal.kind && record.root === principal.root && record.policies.join('\u0000') === principal.policies.join('\u0000');
    if (same) return principal;
    const fresh = principalOfToken(record);
    this.credentials.set(fresh, record.tokenHash);
    return fresh;
  }

  private check(presented: Presented): { readonly principal: Principal } | { readonly refused: Refusal } {
    const { token } = presented;
    if (token === undefined || token.length === 0) return { refused: { reason: 'missing', tokenId: null, message: MESSAGES.missing } };
    const id = tokenIdOf(token);
    if (id === null) return { refused: { reason: 'malformed', tokenId: null, message: MESSAGES.malformed } };
    const digest = tokenHash(token);
    const access = this.access();
    const tokenId = id === 'legacy' ? access.legacyTokenId(digest) : id;
    const record = tokenId === undefined ? null : access.token(tokenId).token;
    if (!record || !timingSafeEqual(Buffer.from(record.tokenHash, 'hex'), Buffer.from(digest, 'hex'))) {
      // A rotated token keeps its id with a new secret: say so, rather than send the caller looking for
      // a replica that has not caught up. (Token ids are not secret; they appear in lists and the log.)
      const rotated = record !== null && record.rotatedAt !== null ? 'the token is not the current one for its id: it was rotated, use the new token' : MESSAGES.unknown;
      return { refused: { reason: 'unknown', tokenId: id === 'legacy' ? null : id, message: rotated } };
    }
    if (record.revokedAt !== null) return { refused: { reason: 'revoked', tokenId: record.tokenId, message: MESSAGES.revoked } };
    if (record.expiresAt !== null && Date.parse(record.expiresAt) <= this.clock.now().getTime()) return { refused: { reason: 'expired', tokenId: record.tokenId, message: MESSAGES.expired } };
    const principal = principalOfToken(record);
    this.credentials.set(principal, record.tokenHash);
    return { principal };
  }

  private refuse(presented: Presented, refusal: Refusal): never {
    this.failures.record({ interface: presented.interface, reason: refusal.reason, tokenId: refusal.tokenId, client: presented.client });
    throw new StrongroomError(ErrorCode.Unauthenticated, refusal.message, { reason: refusal.reason });
  }
}
