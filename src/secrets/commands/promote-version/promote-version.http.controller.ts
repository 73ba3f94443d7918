import { Body, Controller, HttpCode, Param, Post, UseInterceptors } from '@nestjs/common';
import { HttpCaller } from '../../../interfaces/http/http-caller.js';
import { WritePositionHeader } from '../../../interfaces/http/read-your-writes.js';
import { inputFrom, jsonObjectBody } from '../../../interfaces/http/request-input.js';
import type { Caller } from '../../../kernel/caller.js';
import { Pipeline } from '../../../kernel/pipeline.js';
import type { PromoteResult } from './promote-version.command.js';
import { PromoteVersion } from './promote-version.use-case.js';

/** POST /v1/envs/:env/secrets/:ref/promote {version, stage?, expectedVersion?} */
@Controller()
export class PromoteVersionHttpController {
  constructor(private readonly pipeline: Pipeline) {}

  @Post(['v1/envs/:env/secrets/:ref/promote', 'v1/secrets/:ref/promote'])
  @HttpCode(200)
  @UseInterceptors(WritePositionHeader)
  promote(@Param('env') env: string | undefined, @Param('ref') ref: string, @Body() body: unknown, @HttpCaller() caller: Caller): Promise<PromoteResult> {
    return this.pipeline.execute(PromoteVersion, inputFrom(jsonObjectBody(body), { env, ref }), caller);
  }
}
