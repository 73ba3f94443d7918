import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { StrongroomOptions } from '../../config/options.js';
import { EVENT_LOG, OPTIONS, type EventLog } from '../../kernel/tokens.js';
import { Keyring } from '../../keys/keyring.js';
import { StrongroomProjection } from '../../projection/strongroom-projection.js';
import { PublicRoute } from './public-route.decorator.js';

/** How long readiness waits for the store and for the projection to catch up (ms). */
const READY_WAIT_MS = 1_000;

export interface Readiness {
  readonly status: 'ready' | 'not ready';
  readonly checks: {
    readonly store: 'ok' | 'unavailable';
    readonly keys: 'ok' | 'not loaded';
    readonly projection: 'ok' | 'behind';
  };
}

const within = <T>(work: Promise<T>, ms: number): Promise<T> =>
  Promise.race([work, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timed out')), ms).unref())]);

/**
 * GET /readyz, unauthenticated for load balancers and orchestrators: 200 when this process can serve
 * (the store answers, the keys are loaded, the projection has applied what the store holds), else 503
 * with which check failed. Never a log position (that is for callers with a token). /healthz stays
 * liveness only.
 */
@Controller('readyz')
export class ReadinessHttpController {
  constructor(
    @Inject(EVENT_LOG) private readonly log: EventLog,
    private readonly keyring: Keyring,
    private readonly projection: StrongroomProjection,
    @Inject(OPTIONS) private readonly options: StrongroomOptions,
  ) {}

  @Get()
  @PublicRoute()
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<Readiness> {
    const keys = this.keysLoaded() ? 'ok' : 'not loaded';
    let store: Readiness['checks']['store'] = 'ok';
    let projection: Readiness['checks']['projection'] = 'ok';
    try {
      const head = await within(this.log.headPosition(), READY_WAIT_MS);
      await this.projection.waitFor(head, Math.min(READY_WAIT_MS, this.options.readWaitTimeoutMs)).catch(() => (projection = 'behind'));
    } catch {
      store = 'unavailable';
      projection = 'behind';
    }
    const ready = store === 'ok' && keys === 'ok' && projection === 'ok';
    void reply.status(ready ? 200 : 503);
    return { status: ready ? 'ready' : 'not ready', checks: { store, keys, projection } };
  }

  private keysLoaded(): boolean {
    try {
      return this.keyring.auditKey.length > 0 && this.keyring.masterKeyId.length > 0;
    } catch {
      return false;
    }
  }
}
