import { Controller, Get, Param, Query } from '@nestjs/common';
import { HttpCaller } from '../../../interfaces/http/http-caller.js';
import { inputFrom, integerText, queryInput } from '../../../interfaces/http/request-input.js';
import type { Caller } from '../../../kernel/caller.js';
import { Pipeline } from '../../../kernel/pipeline.js';
import type { RotationStatus } from './get-rotation-status.query.js';
import { GetRotationStatus } from './get-rotation-status.use-case.js';

/** GET /v1/envs/:env/rotation-status[?withinDays=N] */
@Controller()
export class GetRotationStatusHttpController {
  constructor(private readonly pipeline: Pipeline) {}

  @Get(['v1/envs/:env/rotation-status', 'v1/rotation-status'])
  status(@Param('env') env: string | undefined, @Query() query: unknown, @HttpCaller() caller: Caller): Promise<RotationStatus> {
    const { withinDays, ...rest } = queryInput(query, ['withinDays']);
    return this.pipeline.execute(GetRotationStatus, inputFrom({ ...rest, ...(withinDays !== undefined && { withinDays: integerText(withinDays) }) }, { env }), caller);
  }
}
