import { Body, Controller, HttpCode, Param, Post, UseInterceptors } from '@nestjs/common';
import { HttpCaller } from '../../../interfaces/http/http-caller.js';
import { WritePositionHeader } from '../../../interfaces/http/read-your-writes.js';
import { inputFrom, jsonObjectBody } from '../../../interfaces/http/request-input.js';
import type { Caller } from '../../../kernel/caller.js';
import { Pipeline } from '../../../kernel/pipeline.js';
import type { WriteResult } from '../../write-result.js';
import { RemoveStage } from './remove-stage.use-case.js';

/** POST /v1/envs/:env/secrets/:ref/unstage {stage}: `{"stage":"pending"}` cancels a pending version. */
@Controller()
export class RemoveStageHttpController {
  constructor(private readonly pipeline: Pipeline) {}

  @Post(['v1/envs/:env/secrets/:ref/unstage', 'v1/secrets/:ref/unstage'])
  @HttpCode(200)
  @UseInterceptors(WritePositionHeader)
  unstage(@Param('env') env: string | undefined, @Param('ref') ref: string, @Body() body: unknown, @HttpCaller() caller: Caller): Promise<WriteResult> {
    return this.pipeline.execute(RemoveStage, inputFrom(jsonObjectBody(body), { env, ref }), caller);
  }
}
