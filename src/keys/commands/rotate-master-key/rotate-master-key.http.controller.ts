import { Controller, HttpCode, Post, UseInterceptors } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { HttpRequestContext } from '../../../interfaces/http/request-context.js';
import { WritePositionHeader } from '../../../interfaces/http/read-your-writes.js';
import type { RequestContext } from '../../../shared/request-context.js';
import { RotateMasterKeyCommand, type RotateMasterKeyResult } from './rotate-master-key.command.js';

/** POST /v1/keys/master/rotate: live data keys rewrapped under a new master key (never returned). */
@Controller('v1/keys')
export class RotateMasterKeyHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post('master/rotate')
  @HttpCode(200)
  @UseInterceptors(WritePositionHeader)
  rotate(@HttpRequestContext() context: RequestContext): Promise<RotateMasterKeyResult> {
    return this.commandBus.execute(new RotateMasterKeyCommand(context));
  }
}
