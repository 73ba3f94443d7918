import { Controller, Delete, Param, Query, UseInterceptors } from '@nestjs/common';
import { HttpCaller } from '../../../interfaces/http/http-caller.js';
import { WritePositionHeader } from '../../../interfaces/http/read-your-writes.js';
import { inputFrom, queryInput } from '../../../interfaces/http/request-input.js';
import type { Caller } from '../../../kernel/caller.js';
import { Pipeline } from '../../../kernel/pipeline.js';
import { RevokeToken } from './revoke-token.use-case.js';
import type { TokenRevocation } from './revoke-token.command.js';

/** DELETE /v1/tokens/:tokenId[?reason=] */
@Controller()
export class RevokeTokenHttpController {
  constructor(private readonly pipeline: Pipeline) {}

  @Delete('v1/tokens/:tokenId')
  @UseInterceptors(WritePositionHeader)
  revoke(@Param('tokenId') tokenId: string, @Query() query: unknown, @HttpCaller() caller: Caller): Promise<TokenRevocation> {
    return this.pipeline.execute(RevokeToken, inputFrom(queryInput(query, ['reason']), { tokenId }), caller);
  }
}
