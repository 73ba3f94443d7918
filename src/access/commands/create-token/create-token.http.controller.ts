import { Body, Controller, Post, UseInterceptors } from '@nestjs/common';
import { HttpCaller } from '../../../interfaces/http/http-caller.js';
import { WritePositionHeader } from '../../../interfaces/http/read-your-writes.js';
import { jsonObjectBody } from '../../../interfaces/http/request-input.js';
import type { Caller } from '../../../kernel/caller.js';
import { Pipeline } from '../../../kernel/pipeline.js';
import { CreateToken } from './create-token.use-case.js';
import type { CreatedToken } from './create-token.command.js';

/** POST /v1/tokens {principal, kind?, policies, ttl?, root?} -> 201 {tokenId, token (shown once), ...} */
@Controller()
export class CreateTokenHttpController {
  constructor(private readonly pipeline: Pipeline) {}

  @Post('v1/tokens')
  @UseInterceptors(WritePositionHeader)
  create(@Body() body: unknown, @HttpCaller() caller: Caller): Promise<CreatedToken> {
    return this.pipeline.execute(CreateToken, jsonObjectBody(body), caller);
  }
}
