import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { HttpCaller } from '../../../interfaces/http/http-caller.js';
import { optionalJsonObjectBody } from '../../../interfaces/http/request-input.js';
import type { Caller } from '../../../kernel/caller.js';
import { Pipeline } from '../../../kernel/pipeline.js';
import { ErrorCode, StrongroomError } from '../../../shared/errors.js';
import type { ReplayResult } from '../../policy-replay.js';
import { ReplayPolicies } from './replay-policies.use-case.js';

/** POST /v1/audit/replay {from?, to?, against?: "current" | {policy, document}}: a query with a body (a proposed policy). */
@Controller()
export class ReplayPoliciesHttpController {
  constructor(private readonly pipeline: Pipeline) {}

  @Post('v1/audit/replay')
  @HttpCode(200)
  replay(@Body() body: unknown, @HttpCaller() caller: Caller): Promise<ReplayResult> {
    const input = optionalJsonObjectBody(body);
    if ('onProgress' in input) throw new StrongroomError(ErrorCode.InvalidInput, 'onProgress is for the library');
    return this.pipeline.execute(ReplayPolicies, input, caller);
  }
}
