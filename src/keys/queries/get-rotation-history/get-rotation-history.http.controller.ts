import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { GetRotationHistoryQuery, type RotationHistory } from './get-rotation-history.query.js';

/** Data-key rotations, and one secret's value rotations. */
@Controller('v1')
export class GetRotationHistoryHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('keys/rotations')
  keyRotations(): Promise<RotationHistory> {
    return this.queryBus.execute(new GetRotationHistoryQuery());
  }

  @Get('secrets/:ref/rotations')
  secretRotations(@Param('ref') ref: string): Promise<RotationHistory> {
    return this.queryBus.execute(new GetRotationHistoryQuery({ name: ref }));
  }
}
