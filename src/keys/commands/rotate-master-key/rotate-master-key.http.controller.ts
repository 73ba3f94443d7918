import { Body, Controller, HttpCode, Post, UseInterceptors } from '@nestjs/common';
import { HttpCaller } from '../../../interfaces/http/http-caller.js';
import { WritePositionHeader } from '../../../interfaces/http/read-your-writes.js';
import { optionalJsonObjectBody } from '../../../interfaces/http/request-input.js';
import type { Caller } from '../../../kernel/caller.js';
import { Pipeline } from '../../../kernel/pipeline.js';
import { RotateMasterKey } from './rotate-master-key.use-case.js';
import type { RotateMasterKeyResult } from './rotate-master-key.command.js';

/**
 * POST /v1/keys/master/rotate: every key rewrapped under a new master key (never returned). With
 * `{"newKeyFile": "/abs/path"}` only step one of two: the new key is written there for the operator to install.
 */
@Controller()
export class RotateMasterKeyHttpController {
  constructor(private readonly pipeline: Pipeline) {}

  @Post('v1/keys/master/rotate')
  @HttpCode(200)
  @UseInterceptors(WritePositionHeader)
  rotate(@Body() body: unknown, @HttpCaller() caller: Caller): Promise<RotateMasterKeyResult> {
    return this.pipeline.execute(RotateMasterKey, optionalJsonObjectBody(body), caller);
  }
}
