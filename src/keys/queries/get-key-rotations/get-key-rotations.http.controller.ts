import { Controller, Get, Param, Query } from '@nestjs/common';
import { HttpCaller } from '../../../interfaces/http/http-caller.js';
import { inputFrom, queryInput } from '../../../interfaces/http/request-input.js';
import type { Caller } from '../../../kernel/caller.js';
import { Pipeline } from '../../../kernel/pipeline.js';
import { GetKeyRotations } from './get-key-rotations.use-case.js';
import type { KeyRotations } from './get-key-rotations.query.js';

/** GET /v1/keys/rotations (every environment) and /v1/envs/:env/keys/rotations. */
@Controller()
export class GetKeyRotationsHttpController {
  constructor(private readonly pipeline: Pipeline) {}

  @Get(['v1/envs/:env/keys/rotations', 'v1/keys/rotations'])
  rotations(@Param('env') env: string | undefined, @Query() query: unknown, @HttpCaller() caller: Caller): Promise<KeyRotations> {
    return this.pipeline.execute(GetKeyRotations, inputFrom(queryInput(query, []), { env }), caller);
  }
}
