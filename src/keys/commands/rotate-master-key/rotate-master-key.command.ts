import { Command } from '@nestjs/cqrs';
import type { RequestContext } from '../../../shared/request-context.js';

/**
 * What is asked of the master key:
 * - `rotate`: one step: a new key written beside the master key file, recorded, swapped into place;
 * - `prepare`: step one of two, for a master key Strongroom cannot replace (a mounted secret): the new key
 *   is written to `newKeyFile` (an absolute path that must not exist) for the operator to install;
 * - `confirm`: step two: completes the pending rotation once the master key file holds its new key (a
 *   start with the new key in place does this by itself);
 * - `cancel`: abandons the pending rotation; the current key stays the store's key.
 */
export type MasterKeyAction =
  | { readonly kind: 'rotate' }
  | { readonly kind: 'prepare'; readonly newKeyFile: unknown }
  | { readonly kind: 'confirm' }
  | { readonly kind: 'cancel' };

/**
 * The durable steps of a rotation, in order, each reported once it is done (`prepare` stops after
 * `started`): `key-written` the new key file exists (nothing recorded yet); `started` the rotation is in
 * the log; `previous-kept` the current key is also in `<file>.previous-<id>`; `swapped` the new key is in
 * the master key file; `completed` the log says so.
 */
export type MasterKeyRotationStep = 'key-written' | 'started' | 'previous-kept' | 'swapped' | 'completed';

export interface RotateMasterKeyResult {
  /** `completed`: the new key is the store's key; `prepared`: waiting for the operator; `cancelled`. */
  readonly status: 'completed' | 'prepared' | 'cancelled';
  readonly rotationId: string;
  readonly previousMasterKeyId: string;
  /** Key id of the new master key (the cancelled one, for `cancelled`). */
  readonly masterKeyId: string;
  /** Keys wrapped under the new master key: the audit key and every data key, retired ones too (0 when not known here). */
  readonly rewrapped: number;
  /** Where the next start loads the master key from. */
  readonly masterKeyFile: string;
  /** Where this rotation kept the previous master key, when it swapped the files itself; else null. */
  readonly previousKeyFile: string | null;
  /** `prepared`: where the new key was written for the operator to install; else null. */
  readonly newKeyFile: string | null;
  /** Log position of the event that recorded this outcome. */
  readonly position: number;
}

/** A master-key rotation, one of its two steps, or its cancellation (`action`, default a one-step rotation). */
export class RotateMasterKeyCommand extends Command<RotateMasterKeyResult> {
  constructor(
    readonly context: RequestContext,
    readonly action: MasterKeyAction = { kind: 'rotate' },
    /** Called synchronously after each durable step (progress, and crash tests that stop a process there). */
    readonly onStep?: (step: MasterKeyRotationStep) => void,
  ) {
    super();
  }
}
