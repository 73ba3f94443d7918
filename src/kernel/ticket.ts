import type { RedactedPayload } from '../event-store/event-store.port.js';
import type { AuthorisationScope, Capability, Decision, Resource } from './authorisation.js';
import type { Caller } from './caller.js';
import type { DecidedEvent } from './new-events.js';
import type { DecidedWrite, WriteOutcome } from './write-path.js';

/**
 * What the gate hands a handler with an admitted message: who is asking, the decision that let them
 * in, and the only ways a handler can append (through the one write path, as this caller).
 */
export interface Ticket {
  /** The catalogue name of the use case this ticket was issued for. */
  readonly useCase: string;
  readonly caller: Caller;
  readonly decision: Decision;
  /** Decide on a stream's state and append (see WritePath.write). */
  write<State extends { readonly revision: number }>(write: DecidedWrite<State>): Promise<WriteOutcome<State>>;
  /** Append at any revision (see WritePath.record); `wait` (default true) waits for this process to apply it. */
  record(stream: string, events: readonly DecidedEvent[], schemaVersions: Readonly<Record<string, number>>, wait?: boolean): Promise<number>;
  /** Redacts payloads that a durable destroy event names (see WritePath.redact and src/audit/redaction.ts). */
  redact(redactions: readonly RedactedPayload[]): Promise<void>;
  /** Waits until this process has applied everything any process committed so far (reads the store's head). */
  catchUp(): Promise<void>;
  /** The same pure decision for another resource, for handlers that filter what they return (listing). */
  authorise(capability: Capability, resource: Resource, scope?: AuthorisationScope): Decision;
  /**
   * Refuses as the gate does, for a resource a handler checks itself (e.g. one secret of a batch):
   * records AccessDenied (failing closed), then throws ACCESS_DENIED.
   */
  deny(capability: Capability, resource: Resource, decision: Decision & { readonly allowed: false }): Promise<never>;
}

/** A command or query as the gate admits it: validated input plus its ticket. */
export interface GatedMessage<Input = unknown> {
  readonly input: Input;
  readonly ticket: Ticket;
}

const admitted = new WeakSet<object>();
let admitterTaken = false;

/**
 * The gate's stamp. Only the first caller gets it (the pipeline, at module load), so no other code can
 * mark a message as admitted: a handler that receives an unstamped message was reached around the gate.
 */
export const takeAdmitter = (): ((message: object) => void) => {
  if (admitterTaken) throw new Error('the gate admitter has already been taken');
  admitterTaken = true;
  return (message) => {
    admitted.add(message);
  };
};

/** True for a message the pipeline created and stamped (and no copy of it). */
export const isAdmitted = (message: unknown): boolean => typeof message === 'object' && message !== null && admitted.has(message);
