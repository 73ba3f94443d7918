import { Controller, HttpCode, Post, UseInterceptors } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { HttpRequestContext } from '../../../interfaces/http/request-context.js';
import { WritePositionHeader } from '../../../interfaces/http/read-your-writes.js';
import type { RequestContext } from '../../../shared/request-context.js';
import { RotateKeyCommand, type RotateKeyResult } from './rotate-key.command.js';

/** POST /v1/keys/rotate: a new data key, every current secret re-encrypted under it. */
@Controller('v1/keys')
export class RotateKeyHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post('rotate')
  @HttpCode(200)
  @UseInterceptors(WritePositionHeader)
  rotate(@HttpRequestContext() context: RequestContext): Promise<RotateKeyResult> {
    return this.commandBus.execute(new RotateKeyCommand(context));
  }
}
