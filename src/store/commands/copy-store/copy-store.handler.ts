import { redactUrl } from '../../../shared/redact-url.js';
import { Inject } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import { HmacChainSealer } from '../../../audit/event-seal.js';
import { readAllPages, verifyChain } from '../../../audit/verify-chain.js';
import type { EventStore } from '../../../event-store/event-store.port.js';
import { openEventStore } from '../../../event-store/open-event-store.js';
import { GatedHandler } from '../../../kernel/gated-handler.js';
import { EVENT_LOG, LOGGER, type EventLog } from '../../../kernel/tokens.js';
import { Keyring } from '../../../keys/keyring.js';
import { ErrorCode, StrongroomError } from '../../../shared/errors.js';
import type { Logger } from '../../../shared/logger.js';
import { SingleFlight } from '../../../shared/single-flight.js';
import { yieldToEventLoop } from '../../../shared/yield-to-event-loop.js';
import { CopyStoreCommand, type CopyStoreInput, type CopyStoreResult } from './copy-store.command.js';
import { divergedTargetError, findDivergence } from './log-divergence.js';

// Read and imported synchronously by SQLite (~15 ms a page): the longest stretch a copy holds the event
// loop between two yields, apart from SQLite's own WAL checkpoints.
const PAGE = 1_000;

@CommandHandler(CopyStoreCommand)
export class CopyStoreHandler extends GatedHandler<CopyStoreCommand, CopyStoreResult> {
  constructor(
    @Inject(EVENT_LOG) private readonly source: EventLog,
    private readonly keyring: Keyring,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    super();
  }

  private readonly copies = new SingleFlight<string, CopyStoreResult>();

  protected handle(input: CopyStoreInput): Promise<CopyStoreResult> {
    // Two copies into one target at once would race on its head; the second gets the first's answer.
    return this.copies.run(input.to, () => this.copy(input.to, input.onProgress));
  }

  private async copy(to: string, onProgress: CopyStoreInput['onProgress']): Promise<CopyStoreResult> {
    // The target gets the same audit key so the copied chain verifies and later appends continue it.
    const sealer = new HmacChainSealer(this.keyring.auditKey);
    const target = await openEventStore(to, sealer, this.logger);
    try {
      const start = await this.resumePoint(target);
      const total = await this.source.headPosition();
      let copied = 0;
      onProgress?.({ copied: start, total });
      for (let from = start; ; ) {
        const page = await this.source.readAll({ from, maxCount: PAGE });
        if (page.length === 0) break;
        await target.importRecorded(page);
        from = page.at(-1)?.position ?? from;
        copied += page.length;
        onProgress?.({ copied: from, total });
        await yieldToEventLoop(); // a page is read and imported synchronously by SQLite: let requests in
      }
      const check = await verifyChain(readAllPages(target), sealer);
      if (!check.ok) {
        throw new StrongroomError(ErrorCode.IntegrityError, `the copy does not verify at position ${check.firstBad.position}: ${check.firstBad.detail}`, {
          position: check.firstBad.position,
        });
      }
      this.logger.info({ copied, head: check.head.position }, 'store copied');
      return { to: redactUrl(to), copied, head: check.head };
    } finally {
      await target.close();
    }
  }

  /** 0 for an empty target; its head when it holds a prefix of this log; otherwise refused, saying where they part. */
  private async resumePoint(target: EventStore): Promise<number> {
    const divergence = await findDivergence(this.source, target);
    if (divergence) throw divergedTargetError(divergence);
    return target.headPosition();
  }
}

