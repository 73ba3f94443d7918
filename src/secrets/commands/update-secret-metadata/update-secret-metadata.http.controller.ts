import { Body, Controller, Param, Patch, UseInterceptors } from '@nestjs/common';
import { HttpCaller } from '../../../interfaces/http/http-caller.js';
import { WritePositionHeader } from '../../../interfaces/http/read-your-writes.js';
import { inputFrom, jsonObjectBody } from '../../../interfaces/http/request-input.js';
import type { Caller } from '../../../kernel/caller.js';
import { Pipeline } from '../../../kernel/pipeline.js';
import type { WriteResult } from '../../write-result.js';
import { UpdateSecretMetadata } from './update-secret-metadata.use-case.js';

/** PATCH /v1/envs/:env/secrets/:ref {metadata?, tags?, expiresAt? | ttl?, rotateEvery?, rotationGenerator?} */
@Controller()
export class UpdateSecretMetadataHttpController {
  constructor(private readonly pipeline: Pipeline) {}

  @Patch(['v1/envs/:env/secrets/:ref', 'v1/secrets/:ref'])
  @UseInterceptors(WritePositionHeader)
  patch(@Param('env') env: string | undefined, @Param('ref') ref: string, @Body() body: unknown, @HttpCaller() caller: Caller): Promise<WriteResult> {
    return this.pipeline.execute(UpdateSecretMetadata, inputFrom(jsonObjectBody(body), { env, ref }), caller);
  }
}
