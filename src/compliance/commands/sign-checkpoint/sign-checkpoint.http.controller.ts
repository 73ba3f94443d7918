import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { HttpCaller } from '../../../interfaces/http/http-caller.js';
import { optionalJsonObjectBody } from '../../../interfaces/http/request-input.js';
import type { Caller } from '../../../kernel/caller.js';
import { Pipeline } from '../../../kernel/pipeline.js';
import { SignCheckpoint } from './sign-checkpoint.use-case.js';
import type { CheckpointResult } from './sign-checkpoint.command.js';

/** POST /v1/audit/checkpoints: signs and records a checkpoint now (201). */
@Controller()
export class SignCheckpointHttpController {
  constructor(private readonly pipeline: Pipeline) {}

  @Post('v1/audit/checkpoints')
  @HttpCode(201)
  sign(@Body() body: unknown, @HttpCaller() caller: Caller): Promise<CheckpointResult> {
    return this.pipeline.execute(SignCheckpoint, optionalJsonObjectBody(body), caller);
  }
}
