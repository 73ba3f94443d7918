import { Controller, Get, Inject, Query, Req, Res, type OnModuleDestroy } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { describeEvent } from '../../../audit/describe-event.js';
import { GetAuditTrail } from '../../../audit/queries/get-audit-trail/get-audit-trail.use-case.js';
import type { EventStore, Subscription } from '../../../event-store/event-store.port.js';
import { Pipeline } from '../../../kernel/pipeline.js';
import { StrongroomProjection } from '../../../projection/strongroom-projection.js';
import { ErrorCode, StrongroomError } from '../../../shared/errors.js';
import { callerOf, REQUEST_ID_HEADER } from '../http-caller.js';
import { queryInput } from '../request-input.js';
import { auditFrame, endFrame, positionFrame, resumePositionOf } from './sse-frame.js';

/** What the feed needs of the event store: its live subscription and its head. Read-only. */
export type AuditFeedSource = Pick<EventStore, 'subscribe' | 'headPosition'>;
/** Nest injection token of the AuditFeedSource (given by serveHttp from the runtime's store). */
export const AUDIT_FEED_SOURCE = Symbol('AUDIT_FEED_SOURCE');

/** Events sent before the stream opens, read through the audit trail (the rest follow from the subscription). */
const FIRST_PAGE = 1000;
/** A heartbeat this often keeps proxies from closing an idle stream and tells the client it is connected. */
const HEARTBEAT_MS = 15_000;
/**
 * A stream is ended after this long; the client reconnects with Last-Event-ID and loses nothing. Bounds
 * how long a stream opened under a policy that has since changed keeps flowing (a revoked token's stream
 * is ended at the next batch).
 */
const MAX_STREAM_MS = 10 * 60_000;

interface OpenStream {
  end(reason: string): void;
}

/**
 * GET /v1/audit/live: the audit trail as server-sent events, for the web console's live timeline.
 * Authorised as the audit trail is, by running GetAuditTrail through the pipeline (the same capability,
 * resource and recorded read); each event is the trail's own description of it (metadata only). Resumes
 * after `Last-Event-ID` (or `?from=`), else starts at the head. The token travels in the Authorization
 * header of a fetch, never in the URL (an EventSource cannot send headers, so the console reads the
 * stream with fetch).
 */
@Controller()
export class AuditFeedHttpController implements OnModuleDestroy {
  private readonly open = new Set<OpenStream>();

  constructor(
    private readonly pipeline: Pipeline,
    private readonly projection: StrongroomProjection,
    @Inject(AUDIT_FEED_SOURCE) private readonly source: AuditFeedSource,
  ) {}

  @Get('v1/audit/live')
  async live(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Query() query: unknown): Promise<void> {
    const caller = callerOf(request);
    // `?from=` is checked like any query parameter; a garbled Last-Event-ID (a header browsers resend) just starts at the head.
    const { from: fromQuery } = queryInput(query, ['from']);
    if (fromQuery !== undefined && typeof fromQuery !== 'number') throw new StrongroomError(ErrorCode.InvalidInput, 'from must be a log position (a non-negative integer)');
    const from = resumePositionOf(request.headers['last-event-id']) ?? fromQuery ?? (await this.source.headPosition());
    // Authorises (a denial is recorded and answered 403 by the error filter, as nothing is sent yet) and records the read.
    const first = await this.pipeline.execute(GetAuditTrail, { from, limit: FIRST_PAGE }, caller);
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
      connection: 'keep-alive',
      [REQUEST_ID_HEADER]: request.id,
    });
    let cursor = first.at(-1)?.position ?? from;
    raw.write(first.map(auditFrame).join('') + positionFrame(cursor));

    let ended = false;
    let subscription: Subscription | undefined;
    let heartbeat: NodeJS.Timeout | undefined;
    let expiry: NodeJS.Timeout | undefined;
    const stream: OpenStream = {
      end: (reason) => {
        if (ended) return;
        ended = true;
        this.open.delete(stream);
        clearInterval(heartbeat);
        clearTimeout(expiry);
        void subscription?.close().catch(() => undefined);
        if (!raw.writableEnded) raw.end(endFrame(reason));
      },
    };
    const tokenId = caller.principal.tokenId;
    const revoked = (): boolean => tokenId !== null && (this.projection.accessState.token(tokenId).token?.revokedAt ?? null) !== null;
    const drained = (): Promise<void> => new Promise((resolve) => raw.once('drain', resolve).once('close', resolve));
    subscription = this.source.subscribe({ from: cursor }, async (events, checkpoint) => {
      if (ended) return;
      if (revoked()) return stream.end('the token was revoked');
      cursor = Math.max(cursor, checkpoint);
      const text = events.map((e) => auditFrame(describeEvent(e))).join('');
      // A slow reader holds the subscription (it queues) rather than the server's memory growing without bound.
      if (text !== '' && !raw.write(text)) await drained();
    });
    heartbeat = setInterval(() => raw.write(positionFrame(cursor)), HEARTBEAT_MS);
    expiry = setTimeout(() => stream.end('the stream is old; reconnect with Last-Event-ID'), MAX_STREAM_MS);
    this.open.add(stream);
    raw.once('close', () => stream.end('the client went away'));
  }

  /** Nest calls this before the HTTP server closes: open streams would otherwise hold the close open. */
  onModuleDestroy(): void {
    for (const stream of [...this.open]) stream.end('the server is stopping');
  }
}
