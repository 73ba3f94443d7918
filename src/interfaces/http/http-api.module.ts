import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { StrongroomModule } from '../../app/strongroom.module.js';
import type { StrongroomRuntime } from '../../app/strongroom-runtime.js';
import { VerifyAuditLogHttpController } from '../../audit/queries/verify-audit-log/verify-audit-log.http.controller.js';
import { RotateKeyHttpController } from '../../keys/commands/rotate-key/rotate-key.http.controller.js';
import { RotateMasterKeyHttpController } from '../../keys/commands/rotate-master-key/rotate-master-key.http.controller.js';
import { GetRotationHistoryHttpController } from '../../keys/queries/get-rotation-history/get-rotation-history.http.controller.js';
import { DeleteSecretHttpController } from '../../secrets/commands/delete-secret/delete-secret.http.controller.js';
import { RotateSecretHttpController } from '../../secrets/commands/rotate-secret/rotate-secret.http.controller.js';
import { StoreSecretHttpController } from '../../secrets/commands/store-secret/store-secret.http.controller.js';
import { UpdateSecretHttpController } from '../../secrets/commands/update-secret/update-secret.http.controller.js';
import { GetAuditTrailHttpController } from '../../secrets/queries/get-audit-trail/get-audit-trail.http.controller.js';
import { GetSecretHttpController } from '../../secrets/queries/get-secret/get-secret.http.controller.js';
import { GetSecretHistoryHttpController } from '../../secrets/queries/get-secret-history/get-secret-history.http.controller.js';
import { ListSecretsHttpController } from '../../secrets/queries/list-secrets/list-secrets.http.controller.js';
import { ApiToken } from './api-token.js';
import { BearerTokenGuard } from './bearer-token.guard.js';
import { HealthHttpController } from './health.http.controller.js';
import { HttpErrorFilter } from './http-error.filter.js';

const CONTROLLERS = [
  StoreSecretHttpController,
  ListSecretsHttpController,
  GetSecretHttpController,
  UpdateSecretHttpController,
  DeleteSecretHttpController,
  RotateSecretHttpController,
  GetSecretHistoryHttpController,
  GetRotationHistoryHttpController,
  GetAuditTrailHttpController,
  VerifyAuditLogHttpController,
  RotateKeyHttpController,
  RotateMasterKeyHttpController,
  HealthHttpController,
];

/** The HTTP API over the one Strongroom composition: its controllers, the token guard, the error filter. */
@Module({})
export class HttpApiModule {
  static forRuntime(runtime: StrongroomRuntime, apiToken: ApiToken): DynamicModule {
    return {
      module: HttpApiModule,
      imports: [StrongroomModule.forRuntime(runtime)],
      controllers: CONTROLLERS,
      providers: [
        { provide: ApiToken, useValue: apiToken },
        { provide: APP_GUARD, useClass: BearerTokenGuard },
        { provide: APP_FILTER, useClass: HttpErrorFilter },
      ],
    };
  }
}
