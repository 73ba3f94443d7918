import { Body, Controller, HttpCode, Param, Post, UseInterceptors } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { HttpRequestContext } from '../../../interfaces/http/request-context.js';
import { jsonObjectBody } from '../../../interfaces/http/request-input.js';
import { WritePositionHeader } from '../../../interfaces/http/read-your-writes.js';
import type { RequestContext } from '../../../shared/request-context.js';
import type { WriteResult } from '../write-result.js';
import { RotateSecretCommand } from './rotate-secret.command.js';

/** POST /v1/secrets/:ref/rotate {value, expectedVersion?}: a new value recorded as a rotation. */
@Controller('v1/secrets')
export class RotateSecretHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post(':ref/rotate')
  @HttpCode(200)
  @UseInterceptors(WritePositionHeader)
  rotate(@Param('ref') ref: string, @Body() body: unknown, @HttpRequestContext() context: RequestContext): Promise<WriteResult> {
    const { value, expectedVersion } = jsonObjectBody(body);
    return this.commandBus.execute(new RotateSecretCommand({ ref, value, expectedVersion }, context));
  }
}
