import { Inject, Injectable } from '@nestjs/common';
import type { StrongroomOptions } from '../config/options.js';
import { OPTIONS } from '../kernel/tokens.js';
import type { ResourceLookup } from '../kernel/use-case.js';
import { StrongroomProjection } from '../projection/strongroom-projection.js';
import { ErrorCode, StrongroomError } from '../shared/errors.js';
import { isSecretId, validateName } from './domain/secret-rules.js';
import type { LiveSecret } from './domain/secret-slot.js';

/**
 * Refuses a read in an environment that does not exist, as ENVIRONMENT_NOT_FOUND (what `state --at` and
 * writes say), rather than SECRET_NOT_FOUND, which hid a mistyped environment behind "no such secret".
 * Only reached after the gate allowed the caller the action in that environment (the gate decides on the
 * names alone), so a caller learns whether an environment exists only where its policy already covers
 * that environment's name.
 * @throws ENVIRONMENT_NOT_FOUND naming it
 */
export const refuseUnknownEnvironment = (projection: Pick<StrongroomProjection, 'keys'>, env: string): void => {
  if (!projection.keys.activeKeyIds.has(env)) {
    throw new StrongroomError(ErrorCode.EnvironmentNotFound, `environment ${env} does not exist (strongroom env list)`, { env });
  }
};

/**
 * Turns a `ref` (a secret id or a name) in an environment into a live secret, and names resources for
 * the gate. An id only ever finds a secret of the environment asked for.
 */
@Injectable()
export class SecretResolver implements ResourceLookup {
  constructor(
    private readonly projection: StrongroomProjection,
    @Inject(OPTIONS) private readonly options: StrongroomOptions,
  ) {}

  /** SECRET_NOT_FOUND for `ref`, or ENVIRONMENT_NOT_FOUND when `env` itself does not exist (refuseUnknownEnvironment). */
  private notFound(ref: string, env: string): StrongroomError {
    refuseUnknownEnvironment(this.projection, env);
    return new StrongroomError(ErrorCode.SecretNotFound, `secret ${ref} not found in environment ${env}`, { ref, env });
  }

  /** Waits (up to STRONGROOM_READ_WAIT_MS) until this process has applied `minPosition`, for read-your-writes. */
  async waitForMinPosition(minPosition: number | undefined): Promise<void> {
    if (minPosition === undefined) return;
    await this.projection.waitFor(minPosition, this.options.readWaitTimeoutMs);
  }

  /**
   * The live secret `ref` names; a deleted one (within its recovery window) is SECRET_DELETED.
   * `ref` must be an id or a valid name; anything else is bad input, never a lookup.
   */
  live(env: string, ref: string): LiveSecret {
    const secret = this.holding(env, ref);
    if (secret.deletedAt !== null) {
      throw new StrongroomError(ErrorCode.SecretDeleted, `secret ${ref} is deleted; it can be restored until ${secret.purgeAt} (restore-secret)`, {
        ref,
        env,
        purgeAt: secret.purgeAt,
      });
    }
    return secret;
  }

  /** The secret holding the name `ref` names (or with that id), deleted ones within their window included. */
  holding(env: string, ref: string): LiveSecret {
    if (isSecretId(ref)) {
      const live = this.projection.liveById(ref);
      if (!live || live.env !== env) throw this.notFound(ref, env);
      return live;
    }
    const live = this.projection.liveByName(env, validateName(ref));
    if (!live) throw this.notFound(ref, env);
    return live;
  }

  /** The slot stream of any secret ever stored in `env` (deleted ones too, by id), for history and audit. */
  streamOf(env: string, ref: string): { id: string; stream: string } {
    if (isSecretId(ref)) {
      const stream = this.projection.streamOfId(ref);
      const env_ = stream === undefined ? undefined : this.projection.envOfStream(stream);
      if (stream === undefined || env_ !== env) throw this.notFound(ref, env);
      return { id: ref, stream };
    }
    const live = this.holding(env, ref);
    return { id: live.id, stream: this.projection.streamOfId(live.id) as string };
  }

  /**
   * Any secret ever stored in `env`: by id (purged ones too) or by the name a secret holds now (deleted
   * ones in their window too), with the (env, name) of its slot.
   */
  everStored(env: string, ref: string): { id: string; stream: string; env: string; name: string } {
    const { id, stream } = this.streamOf(env, ref);
    return { id, stream, env, name: this.projection.nameOfStream(stream) as string };
  }

  /** For the gate: the name behind an id (so policies on names apply to reads by id), else the ref itself. */
  secretNameOf(env: string, ref: string): string | null {
    if (!isSecretId(ref)) return validateName(ref);
    const stream = this.projection.streamOfId(ref);
    if (stream === undefined || this.projection.envOfStream(stream) !== env) return null;
    return this.projection.nameOfStream(stream) ?? null;
  }
}
