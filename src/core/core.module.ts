import { CommandExecutor } from '../application/command-executor';
import {
  Global,
  Inject,
  Module,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { ALL_PROJECTIONS } from '../../projections';
import type { Config } from '../config/config';
import { EsdbEventStore } from '../eventstore/esdb/esdb.event-store';
import { EVENT_STORE, type EventStore } from '../eventstore/event-store.port';
import { SqliteEventStore } from '../eventstore/sqlite/sqlite.event-store';
import { ALL_EVENT_DEFINITIONS } from '../domain/all-events';
import { EventRegistry } from '../events/event-registry';
import { RegisteredEventStore } from '../events/registered-event-store';
import { JsonLogger } from '../logging/logger';
import { ProjectionRunner } from '../projection-runner/projection-runner';
import { SqliteReadModelStore, type ReadModelStore } from '../projection-runner/read-model.store';
import { CLOCK, systemClock } from '../shared/clock';
import { CREDENTIALS } from '../credentials/credential.store';
import { openCredentialStore } from '../credentials/open-credentials';
import { resolveSecretKey } from '../credentials/secret-key';
import { SqliteVault } from '../credentials/sqlite-vault';
import type { SecretVault } from '../credentials/vault';
import { EsdbVault } from '../eventstore/esdb/esdb-vault';
import { openSqliteDatabase, type SqliteDatabase } from '../storage/sqlite-database';
import type { AppOptions } from './app-options';
import { InstanceLease } from '../instance/instance-lease';
import { MeteredEventStore } from '../observability/metered-event-store';
import { Metrics } from '../observability/metrics';
import {
  APP_OPTIONS,
  CONFIG,
  EVENT_REGISTRY,
  LOGGER,
  METRICS,
  READ_MODELS,
  SECRET_VAULT,
  SQLITE,
  STORE_ADAPTER,
} from './tokens';

/**
 * Takes this instance's id before any module starts; starts the read models after boot;
 * on shutdown stops them, then (the jobs stopped too) releases the id and closes the stores.
 */
class CoreLifecycle implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(
    @Inject(ProjectionRunner) private readonly runner: ProjectionRunner,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SQLITE) private readonly db: SqliteDatabase,
    @Inject(InstanceLease) private readonly lease: InstanceLease,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.lease.take();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.runner.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.runner.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.lease.release();
    await this.store.close();
    if (this.db.open) this.db.close();
  }
}

/** The process-wide parts: configuration, logging, storage, the event log, the read models. */
@Global()
@Module({})
export class CoreModule {
  static forRoot(options: AppOptions) {
    const config = options.config;
    return {
      module: CoreModule,
      providers: [
        { provide: APP_OPTIONS, useValue: options },
        { provide: CONFIG, useValue: config },
        { provide: CLOCK, useValue: options.clock ?? systemClock },
        { provide: LOGGER, useFactory: () => new JsonLogger(config.logLevel, options.logSink) },
        {
          provide: SQLITE,
          inject: [LOGGER],
          useFactory: (logger: JsonLogger) =>
            openSqliteDatabase(config.sqlitePath, (message) => logger.warn(message, { path: config.sqlitePath })),
        },
        { provide: EVENT_REGISTRY, useFactory: () => new EventRegistry(ALL_EVENT_DEFINITIONS) },
        { provide: METRICS, useFactory: () => new Metrics() },
        {
          provide: STORE_ADAPTER,
          inject: [SQLITE, LOGGER],
          useFactory: (db: SqliteDatabase, logger: JsonLogger) => adapterFor(config, db, logger),
        },
        {
          provide: EVENT_STORE,
          inject: [STORE_ADAPTER, EVENT_REGISTRY, METRICS],
          useFactory: (adapter: EventStore, registry: EventRegistry, metrics: Metrics) =>
            new MeteredEventStore(new RegisteredEventStore(adapter, registry), metrics),
        },
        {
          // Secrets live where every instance reads them: the event store's own database.
          provide: SECRET_VAULT,
          inject: [STORE_ADAPTER, SQLITE],
          useFactory: (adapter: EventStore, db: SqliteDatabase): SecretVault =>
            adapter instanceof EsdbEventStore ? new EsdbVault(adapter.privateStreams) : new SqliteVault(db),
        },
        {
          provide: CREDENTIALS,
          inject: [SECRET_VAULT, SQLITE, LOGGER],
          useFactory: (vault: SecretVault, db: SqliteDatabase, logger: JsonLogger) => {
            const { key, source, warning } = resolveSecretKey(config.secretKey, config.sqlitePath);
            if (warning) logger.warn(warning);
            return openCredentialStore(vault, db, { key, source }, logger);
          },
        },
        { provide: READ_MODELS, inject: [SQLITE], useFactory: (db: SqliteDatabase) => new SqliteReadModelStore(db) },
        {
          provide: ProjectionRunner,
          inject: [EVENT_STORE, READ_MODELS, LOGGER],
          useFactory: (store: EventStore, readModels: ReadModelStore, logger: JsonLogger) =>
            new ProjectionRunner(store, readModels, ALL_PROJECTIONS, logger.child({ component: 'projections' }), {
              persistEveryMs: options.readModelPersistEveryMs,
            }),
        },
        CommandExecutor,
        InstanceLease,
        CoreLifecycle,
      ],
      exports: [
        APP_OPTIONS,
        CONFIG,
        CLOCK,
        LOGGER,
        METRICS,
        SQLITE,
        EVENT_REGISTRY,
        EVENT_STORE,
        READ_MODELS,
        SECRET_VAULT,
        CREDENTIALS,
        ProjectionRunner,
        CommandExecutor,
        InstanceLease,
      ],
    };
  }
}

function adapterFor(config: Config, db: SqliteDatabase, logger: JsonLogger): EventStore {
  if (config.eventStore.kind === 'sqlite') return new SqliteEventStore(db);
  return EsdbEventStore.connect(config.eventStore.connectionString, {
    streamPrefix: config.eventStore.streamPrefix,
    onDrop: (error, retryInMs) => logger.warn('EventStoreDB subscription dropped; resubscribing', { error, retryInMs }),
    onFatal: (error) => logger.error('EventStoreDB subscription failed for good; not resubscribing', { error }),
  });
}
