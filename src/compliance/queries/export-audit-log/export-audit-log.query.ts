import { Query } from '@nestjs/cqrs';
import { z } from 'zod';
import type { GatedMessage, Ticket } from '../../../kernel/ticket.js';
import { positionInput } from '../../../secrets/secret-inputs.js';
import type { ExportedEvent } from '../../public-chain.js';

export const exportAuditLogInput = z
  .object({
    /** Start after this position (default 0), at most the head; a checkpoint there or the next one anchors the export (verify-export.ts). */
    from: positionInput.optional(),
    /** Keep streaming events as they are committed (for a SIEM); the consumer ends it. */
    follow: z.boolean().optional(),
  })
  .strict();

export type ExportAuditLogInput = z.infer<typeof exportAuditLogInput>;

/** The first line of an export: what it is and where its public chain starts. */
export interface ExportHeader {
  readonly format: 'strongroom-audit-export';
  readonly version: 1;
  /** The export holds the events after this position. */
  readonly from: number;
  /** The public chain head at `from` (the genesis at 0; elsewhere continued from the last checkpoint before it). */
  readonly publicHead: string;
}

/**
 * An export: its header, then every event in its exported form (metadata and digests; no value,
 * ciphertext or key), a page at a time in position order (with `follow`, each page is what committed
 * since the last one).
 */
export interface AuditExport {
  readonly header: ExportHeader;
  readonly pages: AsyncIterable<readonly ExportedEvent[]>;
}

export class ExportAuditLogQuery extends Query<AuditExport> implements GatedMessage<ExportAuditLogInput> {
  constructor(
    readonly input: ExportAuditLogInput,
    readonly ticket: Ticket,
  ) {
    super();
  }
}
