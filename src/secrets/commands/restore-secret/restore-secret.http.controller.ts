import { Body, Controller, HttpCode, Param, Post, UseInterceptors } from '@nestjs/common';
import { HttpCaller } from '../../../interfaces/http/http-caller.js';
import { WritePositionHeader } from '../../../interfaces/http/read-your-writes.js';
import { inputFrom, optionalJsonObjectBody } from '../../../interfaces/http/request-input.js';
import type { Caller } from '../../../kernel/caller.js';
import { Pipeline } from '../../../kernel/pipeline.js';
import type { WriteResult } from '../../write-result.js';
import { RestoreSecret } from './restore-secret.use-case.js';

/** POST /v1/envs/:env/secrets/:ref/restore (no body) */
@Controller()
export class RestoreSecretHttpController {
  constructor(private readonly pipeline: Pipeline) {}

  @Post(['v1/envs/:env/secrets/:ref/restore', 'v1/secrets/:ref/restore'])
  @HttpCode(200)
  @UseInterceptors(WritePositionHeader)
  restore(@Param('env') env: string | undefined, @Param('ref') ref: string, @Body() body: unknown, @HttpCaller() caller: Caller): Promise<WriteResult> {
    return this.pipeline.execute(RestoreSecret, inputFrom(optionalJsonObjectBody(body), { env, ref }), caller);
  }
}
