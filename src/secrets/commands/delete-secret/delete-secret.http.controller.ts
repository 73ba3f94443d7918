import { Controller, Delete, Param, Query, UseInterceptors } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { HttpRequestContext } from '../../../interfaces/http/request-context.js';
import { queryInteger } from '../../../interfaces/http/request-input.js';
import { WritePositionHeader } from '../../../interfaces/http/read-your-writes.js';
import type { RequestContext } from '../../../shared/request-context.js';
import type { WriteResult } from '../write-result.js';
import { DeleteSecretCommand } from './delete-secret.command.js';

/** DELETE /v1/secrets/:ref?expectedVersion=N: history stays in the log, the name becomes free. */
@Controller('v1/secrets')
export class DeleteSecretHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Delete(':ref')
  @UseInterceptors(WritePositionHeader)
  delete(
    @Param('ref') ref: string,
    @Query('expectedVersion') expectedVersion: unknown,
    @HttpRequestContext() context: RequestContext,
  ): Promise<WriteResult> {
    return this.commandBus.execute(new DeleteSecretCommand({ ref, expectedVersion: queryInteger(expectedVersion) }, context));
  }
}
