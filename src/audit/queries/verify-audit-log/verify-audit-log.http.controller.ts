import { Controller, Get, Query } from '@nestjs/common';
import { HttpCaller } from '../../../interfaces/http/http-caller.js';
import { queryInput } from '../../../interfaces/http/request-input.js';
import type { Caller } from '../../../kernel/caller.js';
import { Pipeline } from '../../../kernel/pipeline.js';
import { ErrorCode, StrongroomError } from '../../../shared/errors.js';
import { VerifyAuditLog } from './verify-audit-log.use-case.js';
import type { AuditVerification } from './verify-audit-log.query.js';

/** GET /v1/audit/verify[?checkpointPosition=&checkpointHash=]: recomputes every digest and the HMAC chain. */
@Controller()
export class VerifyAuditLogHttpController {
  constructor(private readonly pipeline: Pipeline) {}

  @Get('v1/audit/verify')
  verify(@Query() query: unknown, @HttpCaller() caller: Caller): Promise<AuditVerification> {
    const { checkpointPosition: position, checkpointHash: hash } = queryInput(query, ['checkpointPosition', 'checkpointHash']);
    if ((position === undefined) !== (hash === undefined)) {
      throw new StrongroomError(ErrorCode.InvalidInput, 'a checkpoint is checkpointPosition and checkpointHash together');
    }
    return this.pipeline.execute(VerifyAuditLog, position === undefined ? {} : { checkpoint: { position, hash } }, caller);
  }
}
