import type { FastifyInstance, FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import { ErrorCode, StrongroomError } from '../../shared/errors.js';

type Check = ReturnType<FastifyInstance['createRateLimit']>;

/**
 * Slows a stream of wrong tokens: each failed authentication is counted per client address by
 * @fastify/rate-limit; once an address has failed `perMinute` times in a minute, every request from it
 * is answered 429 (RATE_LIMITED, with Retry-After) without looking at its token until the window ends,
 * so guessing cannot go on at the speed of the server. Successful requests are never counted.
 */
export class AuthFailureLimiter {
  private check: Check | null = null;
  /** Addresses refused until the given time (ms since the epoch). */
  private readonly blocked = new Map<string, number>();

  constructor(
    private readonly now: () => number,
    private readonly onRefused: () => void,
  ) {}

  /** Registers the plugin on the server (its global limit off) and creates the failure counter. */
  async attach(fastify: FastifyInstance, perMinute: number): Promise<void> {
    await fastify.register(rateLimit, { global: false });
    this.check = fastify.createRateLimit({ max: perMinute, timeWindow: 60_000, keyGenerator: (request) => request.ip });
  }

  /** @throws RATE_LIMITED while the client's address is over its limit. */
  refuseIfBlocked(request: FastifyRequest): void {
    const until = this.blocked.get(request.ip);
    if (until === undefined) return;
    if (until <= this.now()) {
      this.blocked.delete(request.ip);
      return;
    }
    this.refuse(Math.ceil((until - this.now()) / 1000));
  }

  /** Counts a failed authentication. @throws RATE_LIMITED when it is one too many. */
  async failed(request: FastifyRequest): Promise<void> {
    if (!this.check) return;
    const verdict = await this.check(request);
    // `isAllowed` is true only for an allow-listed key; a counted key is over its limit once `isExceeded`.
    if (verdict.isAllowed || !verdict.isExceeded) return;
    this.blocked.set(request.ip, this.now() + verdict.ttl);
    this.refuse(verdict.ttlInSeconds);
  }

  private refuse(retryAfterSeconds: number): never {
    this.onRefused();
    throw new StrongroomError(ErrorCode.RateLimited, `too many failed authentications from this address; retry in ${retryAfterSeconds} s`, {
      retryAfterSeconds,
    });
  }
}
