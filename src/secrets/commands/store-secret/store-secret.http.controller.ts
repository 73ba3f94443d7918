import { Body, Controller, Post, UseInterceptors } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { HttpRequestContext } from '../../../interfaces/http/request-context.js';
import { jsonObjectBody } from '../../../interfaces/http/request-input.js';
import { WritePositionHeader } from '../../../interfaces/http/read-your-writes.js';
import type { RequestContext } from '../../../shared/request-context.js';
import type { WriteResult } from '../write-result.js';
import { StoreSecretCommand } from './store-secret.command.js';

/** POST /v1/secrets {name, value, metadata?} -> 201 {id, name, version, position} */
@Controller('v1/secrets')
export class StoreSecretHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @UseInterceptors(WritePositionHeader)
  store(@Body() body: unknown, @HttpRequestContext() context: RequestContext): Promise<WriteResult> {
    const { name, value, metadata } = jsonObjectBody(body);
    return this.commandBus.execute(new StoreSecretCommand({ name, value, metadata }, context));
  }
}
