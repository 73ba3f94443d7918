import { Inject, Injectable } from '@nestjs/common';
import { OPTIONS } from '../app/tokens.js';
import type { StrongroomOptions } from '../config/options.js';
import { StrongroomProjection } from '../projection/strongroom-projection.js';
import { ErrorCode, StrongroomError } from '../shared/errors.js';
import { isSecretId, validateName } from './domain/secret-rules.js';
import type { LiveSecret } from './domain/secret-slot.js';

const notFound = (ref: string): StrongroomError => new StrongroomError(ErrorCode.SecretNotFound, `secret ${ref} not found`, { ref });

/** Turns a `ref` (a secret id or a name) into a live secret, after an optional read-your-writes wait. */
@Injectable()
export class SecretResolver {
  constructor(
    private readonly projection: StrongroomProjection,
    @Inject(OPTIONS) private readonly options: StrongroomOptions,
  ) {}

  async waitForMinPosition(minPosition: unknown): Promise<void> {
    if (minPosition === undefined || minPosition === null || minPosition === '') return;
    const n = typeof minPosition === 'string' ? Number(minPosition) : minPosition;
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
      throw new StrongroomError(ErrorCode.InvalidInput, 'minPosition must be a non-negative integer');
    }
    await this.projection.waitFor(n, this.options.readWaitTimeoutMs);
  }

  /** `ref` must be an id or a valid name; anything else is bad input, never a lookup. */
  live(ref: unknown): LiveSecret {
    if (typeof ref !== 'string') throw new StrongroomError(ErrorCode.InvalidInput, 'a secret reference must be an id or a name');
    if (isSecretId(ref)) {
      const live = this.projection.liveById(ref);
      if (!live) throw notFound(ref);
      return live;
    }
    const live = this.projection.liveByName(validateName(ref));
    if (!live) throw notFound(ref);
    return live;
  }

  /** The slot stream of any secret ever stored (deleted ones too), for history and audit. */
  streamOf(ref: unknown): { id: string; stream: string } {
    if (typeof ref === 'string' && isSecretId(ref)) {
      const stream = this.projection.streamOfId(ref);
      if (stream === undefined) throw notFound(ref);
      return { id: ref, stream };
    }
    const live = this.live(ref);
    return { id: live.id, stream: this.projection.streamOfId(live.id) as string };
  }
}
