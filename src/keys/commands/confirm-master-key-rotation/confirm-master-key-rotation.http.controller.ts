import { Body, Controller, HttpCode, Post, UseInterceptors } from '@nestjs/common';
import { HttpCaller } from '../../../interfaces/http/http-caller.js';
import { WritePositionHeader } from '../../../interfaces/http/read-your-writes.js';
import { optionalJsonObjectBody } from '../../../interfaces/http/request-input.js';
import type { Caller } from '../../../kernel/caller.js';
import { Pipeline } from '../../../kernel/pipeline.js';
import type { RotateMasterKeyResult } from '../rotate-master-key/rotate-master-key.command.js';
import { ConfirmMasterKeyRotation } from './confirm-master-key-rotation.use-case.js';

/** POST /v1/keys/master/confirm */
@Controller()
export class ConfirmMasterKeyRotationHttpController {
  constructor(private readonly pipeline: Pipeline) {}

  @Post('v1/keys/master/confirm')
  @HttpCode(200)
  @UseInterceptors(WritePositionHeader)
  confirm(@Body() body: unknown, @HttpCaller() caller: Caller): Promise<RotateMasterKeyResult> {
    return this.pipeline.execute(ConfirmMasterKeyRotation, optionalJsonObjectBody(body), caller);
  }
}
