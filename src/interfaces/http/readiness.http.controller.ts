import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { StrongroomOptions } from '../../config/options.js';
import { EVENT_LOG, OPTIONS, type EventLog } from '../../kernel/tokens.js';
import { Keyring } from '../../keys/keyring.js';
import { lastSigningKeyId } from '../../compliance/checkpoint-log.js';
import { SigningKeys } from '../../compliance/signing-key.js';
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
    /**
     * Whether this process can sign the checkpoints it is configured to sign by itself: the signing
     * key file loads and is the key of the last recorded checkpoint. Informational: a process whose
     * key is unavailable still serves (its timer logs each failed signing), so it does not make the
     * status "not ready"; `unknown` when the store did not say which key signed last; `off` when the
     * process signs only on demand.
     */
    readonly checkpoints: 'ok' | 'key unavailable' | 'unknown' | 'off';
  };
}

/** How long the last checkpoint's key id is reused by readiness (ms): reading it reads the checkpoint stream. */
const CHECKPOINT_CHECK_TTL_MS = 10_000;

const within = <T>(work: Promise<T>, ms: number): Promise<T> =>
  Promise.race([work, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timed out')), ms).unref())]);

/**
 * GET /readyz, unauthenticated for load balancers and orchestrators: 200 when this process can serve
 * (the store answers, the keys are loaded, the projection has applied what the store holds), else 503
 * with which check failed; it also says whether the checkpoint signing key is usable (not a condition
 * of readiness, see Readiness). Never a log position (that is for callers with a token). /healthz stays
 * liveness only.
 */
@Controller('readyz')
export class ReadinessHttpController {
  constructor(
    @Inject(EVENT_LOG) private readonly log: EventLog,
    private readonly keyring: Keyring,
    private readonly projection: StrongroomProjection,
    @Inject(OPTIONS) private readonly options: StrongroomOptions,
    private readonly signingKeys: SigningKeys,
  ) {}

  /** The key id of the last recorded checkpoint, reread at most every CHECKPOINT_CHECK_TTL_MS. */
  private lastSigner: { readonly at: number; readonly keyId: Promise<string | null> } | null = null;

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
    const checkpoints = store === 'ok' ? await this.checkpoints() : 'unknown';
    void reply.status(ready ? 200 : 503);
    return { status: ready ? 'ready' : 'not ready', checks: { store, keys, projection, checkpoints } };
  }

  private async checkpoints(): Promise<Readiness['checks']['checkpoints']> {
    const cp = this.options.checkpoints;
    if (!cp || (cp.everyEvents <= 0 && cp.intervalMs <= 0)) return 'off';
    const now = Date.now();
    if (this.lastSigner === null || now - this.lastSigner.at > CHECKPOINT_CHECK_TTL_MS) {
      this.lastSigner = { at: now, keyId: within(lastSigningKeyId(this.log), READY_WAIT_MS) };
    }
    let signedWith: string | null;
    try {
      signedWith = await this.lastSigner.keyId;
    } catch {
      this.lastSigner = null;
      return 'unknown';
    }
    // The file itself every time (a small read): deleted or replaced while this process runs, it is
    // reported now rather than at the next restart.
    try {
      this.signingKeys.checkOnDisk(signedWith);
      return 'ok';
    } catch {
      return 'key unavailable';
    }
  }


  private keysLoaded(): boolean {
    try {
      return this.keyring.auditKey.length > 0 && this.keyring.masterKeyId.length > 0;
    } catch {
      return false;
    }
  }
}
