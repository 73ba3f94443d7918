import { Body, Controller, Param, Put, UseInterceptors } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { HttpRequestContext } from '../../../interfaces/http/request-context.js';
import { jsonObjectBody } from '../../../interfaces/http/request-input.js';
import { WritePositionHeader } from '../../../interfaces/http/read-your-writes.js';
import type { RequestContext } from '../../../shared/request-context.js';
import type { WriteResult } from '../write-result.js';
import { UpdateSecretCommand } from './update-secret.command.js';

/** PUT /v1/secrets/:ref {value, metadata?, expectedVersion?}: a new version, check-and-set when asked. */
@Controller('v1/secrets')
export class UpdateSecretHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Put(':ref')
  @UseInterceptors(WritePositionHeader)
  update(@Param('ref') ref: string, @Body() body: unknown, @HttpRequestContext() context: RequestContext): Promise<WriteResult> {
    const { value, metadata, expectedVersion } = jsonObjectBody(body);
    return this.commandBus.execute(new UpdateSecretCommand({ ref, value, metadata, expectedVersion }, context));
  }
}
