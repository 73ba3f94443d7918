import { Body, Controller, HttpCode, Param, Post, UseInterceptors } from '@nestjs/common';
import { HttpCaller } from '../../../interfaces/http/http-caller.js';
import { WritePositionHeader } from '../../../interfaces/http/read-your-writes.js';
import { inputFrom, optionalJsonObjectBody } from '../../../interfaces/http/request-input.js';
import type { Caller } from '../../../kernel/caller.js';
import { Pipeline } from '../../../kernel/pipeline.js';
import { RotateKey } from './rotate-key.use-case.js';
import type { RotateKeyResult } from './rotate-key.command.js';

/** POST /v1/envs/:env/keys/rotate: a new data key for the environment, every current secret re-encrypted under it. */
@Controller()
export class RotateKeyHttpController {
  constructor(private readonly pipeline: Pipeline) {}

  @Post(['v1/envs/:env/keys/rotate', 'v1/keys/rotate'])
  @HttpCode(200)
  @UseInterceptors(WritePositionHeader)
  rotate(@Param('env') env: string | undefined, @Body() body: unknown, @HttpCaller() caller: Caller): Promise<RotateKeyResult> {
    return this.pipeline.execute(RotateKey, inputFrom(optionalJsonObjectBody(body), { env }), caller);
  }
}
