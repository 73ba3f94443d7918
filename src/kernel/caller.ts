import type { EventMetadata } from '../event-store/event-store.port.js';
import type { PrincipalKind } from '../contracts/access.js';
export type { PrincipalKind };

export interface Principal {
  readonly kind: PrincipalKind;
  /** The principal's name as recorded in the log (`payments-api`, `local:alice`, `system`). */
  readonly name: string;
  /** The token that authenticated this request; null for local and system principals. */
  readonly tokenId: string | null;
  /** Root principals hold every capability in every environment (the root token, the local master-key holder). */
  readonly root: boolean;
  /** Names of the policies that grant this principal its capabilities (ignored when `root`). */
  readonly policies: readonly string[];
}

/** One request as an interface hands it to the pipeline: the authenticated principal and how it arrived. */
export interface Caller {
  readonly principal: Principal;
  readonly interface: EventMetadata['interface'];
  /** Correlates every event of one request (an HTTP X-Request-Id, a bus message id, a fresh UUID). */
  readonly correlationId: string;
  /** A client-chosen key recorded with the events so a retried command acts once (at most 128 characters). */
  readonly idempotencyKey?: string;
}

export const SYSTEM_PRINCIPAL: Principal = Object.freeze({ kind: 'system', name: 'system', tokenId: null, root: true, policies: [] });

/**
 * The operator on a local store: whoever can open the store holds the master key, so root capabilities
 * (DESIGN.md section 9). `name` is recorded as the actor (default `local:<os user>`).
 */
export const localPrincipal = (name: string): Principal => Object.freeze({ kind: 'local', name, tokenId: null, root: true, policies: [] });

export const systemCaller = (correlationId: string): Caller => ({ principal: SYSTEM_PRINCIPAL, interface: 'system', correlationId });
