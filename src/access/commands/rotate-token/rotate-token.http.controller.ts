import { Body, Controller, HttpCode, Param, Post, UseInterceptors } from '@nestjs/common';
import { HttpCaller } from '../../../interfaces/http/http-caller.js';
import { WritePositionHeader } from '../../../interfaces/http/read-your-writes.js';
import { inputFrom, optionalJsonObjectBody } from '../../../interfaces/http/request-input.js';
import type { Caller } from '../../../kernel/caller.js';
import { Pipeline } from '../../../kernel/pipeline.js';
import type { CreatedToken } from '../create-token/create-token.command.js';
import { RotateToken } from './rotate-token.use-case.js';

/** POST /v1/tokens/:tokenId/rotate {ttl?}: the new token, shown once. */
@Controller()
export class RotateTokenHttpController {
  constructor(private readonly pipeline: Pipeline) {}

  @Post('v1/tokens/:tokenId/rotate')
  @HttpCode(200)
  @UseInterceptors(WritePositionHeader)
  rotate(@Param('tokenId') tokenId: string, @Body() body: unknown, @HttpCaller() caller: Caller): Promise<CreatedToken> {
    return this.pipeline.execute(RotateToken, inputFrom(optionalJsonObjectBody(body), { tokenId }), caller);
  }
}
