import { Body, Controller, HttpCode, Post, UseInterceptors } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { HttpRequestContext } from '../../../interfaces/http/request-context.js';
import { jsonObjectBody } from '../../../interfaces/http/request-input.js';
import { WritePositionHeader } from '../../../interfaces/http/read-your-writes.js';
import type { RequestContext } from '../../../shared/request-context.js';
import { RotateMasterKeyCommand, type RotateMasterKeyResult } from './rotate-master-key.command.js';

/**
 * POST /v1/keys/master/rotate: every key rewrapped under a new master key (never returned). With
 * `{"newKeyFile": "/abs/path"}` only step one of two: the new key is written there for the operator to install.
 * POST /v1/keys/master/confirm and /cancel end a pending rotation.
 */
@Controller('v1/keys/master')
export class RotateMasterKeyHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post('rotate')
  @HttpCode(200)
  @UseInterceptors(WritePositionHeader)
  rotate(@Body() body: unknown, @HttpRequestContext() context: RequestContext): Promise<RotateMasterKeyResult> {
    const newKeyFile = body === undefined || body === null ? undefined : jsonObjectBody(body).newKeyFile;
    return this.commandBus.execute(new RotateMasterKeyCommand(context, newKeyFile === undefined ? { kind: 'rotate' } : { kind: 'prepare', newKeyFile }));
  }

  @Post('confirm')
  @HttpCode(200)
  @UseInterceptors(WritePositionHeader)
  confirm(@HttpRequestContext() context: RequestContext): Promise<RotateMasterKeyResult> {
    return this.commandBus.execute(new RotateMasterKeyCommand(context, { kind: 'confirm' }));
  }

  @Post('cancel')
  @HttpCode(200)
  @UseInterceptors(WritePositionHeader)
  cancel(@HttpRequestContext() context: RequestContext): Promise<RotateMasterKeyResult> {
    return this.commandBus.execute(new RotateMasterKeyCommand(context, { kind: 'cancel' }));
  }
}
