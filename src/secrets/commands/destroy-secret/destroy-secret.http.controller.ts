import { Body, Controller, HttpCode, Param, Post, UseInterceptors } from '@nestjs/common';
import { HttpCaller } from '../../../interfaces/http/http-caller.js';
import { WritePositionHeader } from '../../../interfaces/http/read-your-writes.js';
import { inputFrom, optionalJsonObjectBody } from '../../../interfaces/http/request-input.js';
import type { Caller } from '../../../kernel/caller.js';
import { Pipeline } from '../../../kernel/pipeline.js';
import type { DestroyResult } from './destroy-secret.command.js';
import { DestroySecret } from './destroy-secret.use-case.js';

/** POST /v1/envs/:env/secrets/:ref/destroy [{versions: [N, ...]}]: without versions, every version. */
@Controller()
export class DestroySecretHttpController {
  constructor(private readonly pipeline: Pipeline) {}

  @Post(['v1/envs/:env/secrets/:ref/destroy', 'v1/secrets/:ref/destroy'])
  @HttpCode(200)
  @UseInterceptors(WritePositionHeader)
  destroy(@Param('env') env: string | undefined, @Param('ref') ref: string, @Body() body: unknown, @HttpCaller() caller: Caller): Promise<DestroyResult> {
    return this.pipeline.execute(DestroySecret, inputFrom(optionalJsonObjectBody(body), { env, ref }), caller);
  }
}
