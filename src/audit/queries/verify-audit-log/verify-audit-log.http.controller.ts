import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ErrorCode, StrongroomError } from '../../../shared/errors.js';
import { VerifyAuditLogQuery, type AuditVerification } from './verify-audit-log.query.js';

type Checkpoint = { readonly position: number; readonly hash: string };

/** `?checkpointPosition=&checkpointHash=` (both or neither): an exported head, to detect tail truncation. */
const checkpointOf = (position: unknown, hash: unknown): Checkpoint | undefined => {
  if (position === undefined && hash === undefined) return undefined;
  if (typeof position !== 'string' || !/^\d{1,15}$/.test(position) || typeof hash !== 'string' || !/^[0-9a-f]{64}$/.test(hash)) {
    throw new StrongroomError(ErrorCode.InvalidInput, 'a checkpoint is checkpointPosition (an integer) and checkpointHash (64 hex characters)');
  }
  return { position: Number(position), hash };
};

/** GET /v1/audit/verify: recomputes every digest and the HMAC chain. */
@Controller('v1/audit')
export class VerifyAuditLogHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('verify')
  verify(@Query('checkpointPosition') position: unknown, @Query('checkpointHash') hash: unknown): Promise<AuditVerification> {
    const checkpoint = checkpointOf(position, hash);
    return this.queryBus.execute(new VerifyAuditLogQuery(checkpoint ? { checkpoint } : {}));
  }
}
