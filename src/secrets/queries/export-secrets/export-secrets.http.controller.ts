import { Body, Controller, HttpCode, Param, Post, Query } from '@nestjs/common';
import { HttpCaller } from '../../../interfaces/http/http-caller.js';
import { MinPosition } from '../../../interfaces/http/read-your-writes.js';
import { inputFrom, optionalJsonObjectBody, queryInput } from '../../../interfaces/http/request-input.js';
import type { Caller } from '../../../kernel/caller.js';
import { Pipeline } from '../../../kernel/pipeline.js';
import { valueToJson } from '../../json-value.js';
import { ExportSecrets } from './export-secrets.use-case.js';

/**
 * POST /v1/envs/:env/exports with `{"prefix": "payments/"}` or `{"names": [...]}` (or nothing: all the
 * caller may list): every value, after its access is durable. A POST because each call records reads.
 * Values as in GET of one secret: text as `value`, bytes as `valueBase64`.
 */
@Controller()
export class ExportSecretsHttpController {
  constructor(private readonly pipeline: Pipeline) {}

  @Post(['v1/envs/:env/exports', 'v1/exports'])
  @HttpCode(200)
  async export(@Param('env') env: string | undefined, @Body() body: unknown, @Query() query: unknown, @MinPosition() minPosition: unknown, @HttpCaller() caller: Caller): Promise<object> {
    queryInput(query, ['minPosition']);
    const result = await this.pipeline.execute(ExportSecrets, inputFrom(optionalJsonObjectBody(body), { env, minPosition }), caller);
    return {
      env: result.env,
      accessPosition: result.accessPosition,
      secrets: result.secrets.map(({ bytes, binary, ...fields }) => ({ ...fields, ...valueToJson(bytes, binary) })),
    };
  }
}
