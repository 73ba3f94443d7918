import { ErrorCode, StrongroomError } from '../../shared/errors.js';
import type { PolicyEvent, TokenCreatedData, TokenEvent } from './access-events.js';
import type { PolicyStream, TokenStream } from './access-state.js';
import { policyDocumentForm, type PolicyDocument } from './policy-document.js';

/** Pure decisions over token and policy streams. Tokens arrive already hashed; nothing here sees one. */

export const decideCreateToken = (state: TokenStream, data: TokenCreatedData): TokenEvent[] => {
  if (state.token) throw new StrongroomError(ErrorCode.AlreadyExists, `token ${data.tokenId} already exists`, { tokenId: data.tokenId });
  return [{ type: 'TokenCreated', data }];
};

const liveToken = (state: TokenStream, tokenId: string) => {
  if (!state.token) throw new StrongroomError(ErrorCode.TokenNotFound, `token ${tokenId} not found`, { tokenId });
  return state.token;
};

export const decideRotateToken = (state: TokenStream, c: { tokenId: string; tokenHash: string; expiresAt?: string }): TokenEvent[] => {
  const token = liveToken(state, c.tokenId);
  if (token.revokedAt !== null) throw new StrongroomError(ErrorCode.InvalidInput, `token ${c.tokenId} is revoked; create a new one instead`, { tokenId: c.tokenId });
  return [{ type: 'TokenRotated', data: { tokenId: c.tokenId, tokenHash: c.tokenHash, ...(c.expiresAt !== undefined && { expiresAt: c.expiresAt }) } }];
};

/** Revoking a revoked token changes nothing (idempotent), so a retried revocation is not an error. */
export const decideRevokeToken = (state: TokenStream, c: { tokenId: string; reason?: string }): TokenEvent[] => {
  const token = liveToken(state, c.tokenId);
  if (token.revokedAt !== null) return [];
  return [{ type: 'TokenRevoked', data: { tokenId: c.tokenId, ...(c.reason !== undefined && { reason: c.reason }) } }];
};

/** A new version of a policy; setting the document already in force changes nothing. */
export const decideSetPolicy = (state: PolicyStream, c: { name: string; document: PolicyDocument }): PolicyEvent[] => {
  const last = state.policy?.versions.at(-1);
  const form = policyDocumentForm(c.document);
  if (last && !last.deleted && last.document && JSON.stringify(policyDocumentForm(last.document)) === JSON.stringify(form)) return [];
  return [{ type: 'PolicySet', data: { name: c.name, version: (last?.version ?? 0) + 1, document: form } }];
};

export const decideDeletePolicy = (state: PolicyStream, c: { name: string }): PolicyEvent[] => {
  const last = state.policy?.versions.at(-1);
  if (!last || last.deleted) throw new StrongroomError(ErrorCode.PolicyNotFound, `policy ${c.name} not found`, { name: c.name });
  return [{ type: 'PolicyDeleted', data: { name: c.name, version: last.version + 1 } }];
};
