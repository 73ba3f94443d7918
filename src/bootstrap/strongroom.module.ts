import { Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { CommandBus, CqrsModule, QueryBus } from '@nestjs/cqrs';
import { FailedAuthentications } from '../access/failed-authentications.js';
import { PolicyAuthoriser } from '../access/policy-authoriser.js';
import { TokenAuthenticator } from '../access/token-authenticator.js';
import { CATALOGUE } from '../catalogue.js';
import { PointInTime } from '../compliance/point-in-time.js';
import { SigningKeys, signingKeyFileOf } from '../compliance/signing-key.js';
import { Pipeline, type Freshness } from '../kernel/pipeline.js';
import { IdempotencyLog, idempotencyMacKey } from '../kernel/idempotency.js';
import { ACCESS_INDEX, CLOCK, EVENT_LOG, IDS, LOGGER, OPTIONS, readOnly } from '../kernel/tokens.js';
import { KeyRotationRunner } from '../keys/key-rotation.runner.js';
import { Keyring } from '../keys/keyring.js';
import { KeysWriter } from '../keys/keys-writer.js';
import { MasterKeyRotator } from '../keys/master-key-rotator.js';
import { StrongroomMetrics } from '../observability/metrics.js';
import { StrongroomProjection } from '../projection/strongroom-projection.js';
import { SecretResolver } from '../secrets/secret-resolver.js';
import { SecretSlots } from '../secrets/secret-slots.js';
import type { StrongroomRuntime } from './runtime.js';

/**
 * Before every command and query on the embedded store, see what other processes committed to the same
 * file (issue: right after `strongroom rotate-secret` returned, the server still served the old value).
 * SQLite tells cheaply (PRAGMA data_version, about 2 µs); on PostgreSQL and KurrentDB that would be a
 * round trip per request, so replicas rely on their live feed and on positions (read-your-writes), and
 * a check-and-set catches up before it refuses (WritePath).
 */
const freshnessOf = (runtime: StrongroomRuntime): Freshness =>
  runtime.options.store.startsWith('sqlite:') ? { ensure: () => runtime.writePath.catchUp() } : { ensure: async () => undefined };

/** Module services the handlers share. None of them can append: only tickets reach the write path. */
const SERVICES = [SecretResolver, SecretSlots, KeysWriter, KeyRotationRunner, MasterKeyRotator, PolicyAuthoriser, PointInTime];

/** Records what failed authentications counted, stops following the log and closes the store when the application has closed. */
@Injectable()
class RuntimeLifecycle implements OnApplicationShutdown {
  constructor(
    private readonly runtime: StrongroomRuntime,
    private readonly failures: FailedAuthentications,
  ) {}

  /**
   * After the interfaces have stopped (Nest calls this hook once the HTTP server has closed, and Fastify's
   * close lets in-flight requests finish first), so no request in flight meets a closed store.
   */
  async onApplicationShutdown(): Promise<void> {
    await this.failures.flush().catch(() => undefined);
    await this.runtime.metrics.stop();
    await this.runtime.projection.stop();
    // Nothing is served any more: the snapshot's synchronous write blocks nobody.
    this.runtime.snapshots.saveIfDue(this.runtime.projection);
    await this.runtime.store.close();
  }
}

/**
 * The application kernel wired to one runtime: the catalogue's handlers, the services they use, and the
 * pipeline. The runtime's values are provided as values (assembled once at start-up); the write path
 * is given to the pipeline and the failed-authentication recorder only, never to a handler.
 */
@Module({})
export class StrongroomModule {
  static forRuntime(runtime: StrongroomRuntime): DynamicModule {
    const failures = new FailedAuthentications(runtime.writePath, () => runtime.clock.now(), runtime.logger);
    const authenticator = new TokenAuthenticator(() => runtime.projection.accessState, runtime.clock, failures, () => runtime.writePath.catchUp());
    return {
      module: StrongroomModule,
      global: true,
      imports: [CqrsModule.forRoot()],
      providers: [
        { provide: EVENT_LOG, useValue: readOnly(runtime.store) },
        { provide: CLOCK, useValue: runtime.clock },
        { provide: IDS, useValue: runtime.ids },
        { provide: OPTIONS, useValue: runtime.options },
        { provide: LOGGER, useValue: runtime.logger },
        { provide: ACCESS_INDEX, useValue: runtime.accessIndex },
        { provide: Keyring, useValue: runtime.keyring },
        { provide: StrongroomProjection, useValue: runtime.projection },
        { provide: StrongroomMetrics, useValue: runtime.metrics },
        { provide: FailedAuthentications, useValue: failures },
        { provide: TokenAuthenticator, useValue: authenticator },
        { provide: SigningKeys, useValue: new SigningKeys(signingKeyFileOf(runtime.options)) },
        { provide: RuntimeLifecycle, useFactory: () => new RuntimeLifecycle(runtime, failures) },
        ...SERVICES,
        ...CATALOGUE.map((slice) => slice.useCase.handler),
        {
          provide: Pipeline,
          inject: [CommandBus, QueryBus, PolicyAuthoriser, SecretResolver],
          useFactory: (commandBus: CommandBus, queryBus: QueryBus, authoriser: PolicyAuthoriser, lookup: SecretResolver) =>
            new Pipeline({
              commandBus,
              queryBus,
              writePath: runtime.writePath,
              authoriser,
              lookup,
              freshness: freshnessOf(runtime),
              principals: authenticator,
              idempotency: new IdempotencyLog(runtime.store, runtime.writePath, { now: () => runtime.clock.now().getTime(), macKey: idempotencyMacKey(runtime.keyring.auditKey) }),
            }),
        },
      ],
      exports: [CqrsModule, Pipeline, TokenAuthenticator, StrongroomProjection, StrongroomMetrics, EVENT_LOG, CLOCK, IDS, OPTIONS, LOGGER, Keyring, SigningKeys],
    };
  }
}
