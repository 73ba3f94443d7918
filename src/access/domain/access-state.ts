import type { PolicyEvent, TokenEvent } from './access-events.js';
import { parsePolicyDocument, type PolicyDocument } from './policy-document.js';

/** What the log says about tokens and policies: pure state, folded from `token-*` and `policy-*` streams. */

export interface TokenRecord {
  readonly revision: number;
  readonly tokenId: string;
  readonly principal: string;
  readonly kind: 'service' | 'person';
  readonly policies: readonly string[];
  readonly root: boolean;
  readonly tokenHash: string;
  readonly legacy: boolean;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly rotatedAt: string | null;
  readonly expiresAt: string | null;
  readonly revokedAt: string | null;
  readonly revokedBy: string | null;
}

export interface PolicyVersion {
  readonly version: number;
  /** Null for a deletion, or for a stored document that no longer parses (it then grants nothing). */
  readonly document: PolicyDocument | null;
  readonly deleted: boolean;
  readonly setAt: string;
  readonly setBy: string;
}

export interface PolicyRecord {
  readonly revision: number;
  readonly name: string;
  /** Oldest first; the last one is in force. */
  readonly versions: readonly PolicyVersion[];
}

/** The version in force, or null when the policy was deleted. */
export const currentPolicy = (record: PolicyRecord | undefined): PolicyVersion | null => {
  const last = record?.versions.at(-1);
  return last && !last.deleted ? last : null;
};

export interface TokenStream {
  readonly revision: number;
  readonly token: TokenRecord | null;
}

export interface PolicyStream {
  readonly revision: number;
  readonly policy: PolicyRecord | null;
}

export type AccessEventMetadata = { readonly occurredAt: string; readonly actor: string };

export const evolveToken = (state: TokenStream, event: TokenEvent & { readonly revision: number; readonly metadata: AccessEventMetadata }): TokenStream => {
  const at = event.metadata.occurredAt;
  const revision = event.revision;
  const token = state.token;
  switch (event.type) {
    case 'TokenCreated': {
      const d = event.data;
      return {
        revision,
        token: {
          revision,
          tokenId: d.tokenId,
          principal: d.principal,
          kind: d.kind,
          policies: d.policies,
          root: d.root,
          tokenHash: d.tokenHash,
          legacy: d.legacy === true,
          createdAt: at,
          createdBy: event.metadata.actor,
          rotatedAt: null,
          expiresAt: d.expiresAt ?? null,
          revokedAt: null,
          revokedBy: null,
        },
      };
    }
    case 'TokenRotated':
      if (!token) return { revision, token };
      return { revision, token: { ...token, revision, tokenHash: event.data.tokenHash, rotatedAt: at, expiresAt: event.data.expiresAt ?? token.expiresAt } };
    case 'TokenRevoked':
      if (!token) return { revision, token };
      return { revision, token: { ...token, revision, revokedAt: at, revokedBy: event.metadata.actor } };
    default: {
      const exhaustive: never = event;
      return exhaustive;
    }
  }
};

/** Unparseable stored documents grant nothing (fail closed); the projection logs them. */
const documentOf = (raw: object): PolicyDocument | null => {
  try {
    return parsePolicyDocument(raw);
  } catch {
    return null;
  }
};

export const evolvePolicy = (state: PolicyStream, event: PolicyEvent & { readonly revision: number; readonly metadata: AccessEventMetadata }): PolicyStream => {
  const at = event.metadata.occurredAt;
  const by = event.metadata.actor;
  const versions = state.policy?.versions ?? [];
  const version: PolicyVersion =
    event.type === 'PolicySet'
      ? { version: event.data.version, document: documentOf(event.data.document), deleted: false, setAt: at, setBy: by }
      : { version: event.data.version, document: null, deleted: true, setAt: at, setBy: by };
  return { revision: event.revision, policy: { revision: event.revision, name: event.data.name, versions: [...versions, version] } };
};
