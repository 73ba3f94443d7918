import { Injectable, Module, type DynamicModule, type INestApplicationContext, type OnModuleDestroy } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { VerifyAuditLogHandler } from '../audit/queries/verify-audit-log/verify-audit-log.handler.js';
import { KeyRotationRunner } from '../keys/key-rotation.runner.js';
import { Keyring } from '../keys/keyring.js';
import { KeysWriter } from '../keys/keys-writer.js';
import { MasterKeyRotator } from '../keys/master-key-rotator.js';
import { RotateKeyHandler } from '../keys/commands/rotate-key/rotate-key.handler.js';
import { RotateMasterKeyHandler } from '../keys/commands/rotate-master-key/rotate-master-key.handler.js';
import { GetRotationHistoryHandler } from '../keys/queries/get-rotation-history/get-rotation-history.handler.js';
import { StrongroomProjection } from '../projection/strongroom-projection.js';
import { DeleteSecretHandler } from '../secrets/commands/delete-secret/delete-secret.handler.js';
import { RotateSecretHandler } from '../secrets/commands/rotate-secret/rotate-secret.handler.js';
import { StoreSecretHandler } from '../secrets/commands/store-secret/store-secret.handler.js';
import { UpdateSecretHandler } from '../secrets/commands/update-secret/update-secret.handler.js';
import { GetAuditTrailHandler } from '../secrets/queries/get-audit-trail/get-audit-trail.handler.js';
import { GetSecretHandler } from '../secrets/queries/get-secret/get-secret.handler.js';
import { GetSecretHistoryHandler } from '../secrets/queries/get-secret-history/get-secret-history.handler.js';
import { ListSecretsHandler } from '../secrets/queries/list-secrets/list-secrets.handler.js';
import { SecretResolver } from '../secrets/secret-resolver.js';
import { SecretWriter } from '../secrets/secret-writer.js';
import { CopyStoreHandler } from '../store/commands/copy-store/copy-store.handler.js';
import type { RequestContext } from '../shared/request-context.js';
import type { StrongroomRuntime } from './strongroom-runtime.js';
import { CLOCK, EVENT_STORE, IDS, LOGGER, OPTIONS } from './tokens.js';

const HANDLERS = [
  StoreSecretHandler,
  UpdateSecretHandler,
  RotateSecretHandler,
  DeleteSecretHandler,
  GetSecretHandler,
  ListSecretsHandler,
  GetSecretHistoryHandler,
  GetAuditTrailHandler,
  RotateKeyHandler,
  RotateMasterKeyHandler,
  GetRotationHistoryHandler,
  VerifyAuditLogHandler,
  CopyStoreHandler,
];

/** Stops following the log and closes the store when the Nest application closes. */
@Injectable()
class RuntimeLifecycle implements OnModuleDestroy {
  constructor(private readonly runtime: StrongroomRuntime) {}

  async onModuleDestroy(): Promise<void> {
    await this.runtime.projection.stop();
    await this.runtime.store.close();
  }
}

@Module({})
export class StrongroomModule {
  static forRuntime(runtime: StrongroomRuntime): DynamicModule {
    const values = [
      { provide: EVENT_STORE, useValue: runtime.store },
      { provide: CLOCK, useValue: runtime.clock },
      { provide: IDS, useValue: runtime.ids },
      { provide: OPTIONS, useValue: runtime.options },
      { provide: LOGGER, useValue: runtime.logger },
      { provide: Keyring, useValue: runtime.keyring },
      { provide: StrongroomProjection, useValue: runtime.projection },
      { provide: RuntimeLifecycle, useFactory: () => new RuntimeLifecycle(runtime) },
    ];
    return {
      module: StrongroomModule,
      global: true,
      imports: [CqrsModule.forRoot()],
      providers: [...values, SecretWriter, SecretResolver, KeysWriter, KeyRotationRunner, MasterKeyRotator, ...HANDLERS],
      exports: [CqrsModule, EVENT_STORE, CLOCK, IDS, OPTIONS, LOGGER, Keyring, StrongroomProjection],
    };
  }
}

export const SYSTEM_CONTEXT: RequestContext = { actor: 'system', interface: 'system', correlationId: 'start-up' };

/** Work that needs the whole application: finishing key rotations a crash interrupted. */
export const startStrongroom = async (app: INestApplicationContext): Promise<void> => {
  await app.get(MasterKeyRotator).resumeIfNeeded(SYSTEM_CONTEXT);
  await app.get(KeyRotationRunner).resumeIfNeeded(SYSTEM_CONTEXT);
};
