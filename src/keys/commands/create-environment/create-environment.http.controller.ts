import { Body, Controller, Post, UseInterceptors } from '@nestjs/common';
import { HttpCaller } from '../../../interfaces/http/http-caller.js';
import { WritePositionHeader } from '../../../interfaces/http/read-your-writes.js';
import { jsonObjectBody } from '../../../interfaces/http/request-input.js';
import type { Caller } from '../../../kernel/caller.js';
import { Pipeline } from '../../../kernel/pipeline.js';
import { CreateEnvironment } from './create-environment.use-case.js';
import type { EnvironmentCreated } from './create-environment.command.js';

/** POST /v1/envs {env} -> 201 */
@Controller()
export class CreateEnvironmentHttpController {
  constructor(private readonly pipeline: Pipeline) {}

  @Post('v1/envs')
  @UseInterceptors(WritePositionHeader)
  create(@Body() body: unknown, @HttpCaller() caller: Caller): Promise<EnvironmentCreated> {
    return this.pipeline.execute(CreateEnvironment, jsonObjectBody(body), caller);
  }
}
