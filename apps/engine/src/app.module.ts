import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { MetricsCoreModule } from './common/metrics/metrics-core.module';
import { MetricsModule } from './metrics/metrics.module';
import { correlationIdOf } from './common/http/request-meta';
import { AuthModule } from './auth/auth.module';
import { OidcModule } from './oidc/oidc.module';
import { AgentsModule } from './agents/agents.module';
import { VmOperationsModule } from './vm-operations/vm-operations.module';
import { MaintenanceModule } from './maintenance/maintenance.module';
import { HaModule } from './ha/ha.module';
import { StorageLifecycleModule } from './storage-lifecycle/storage-lifecycle.module';
import { ImagesModule } from './images/images.module';
import { VmMigrationModule } from './vm-migration/vm-migration.module';
import { ClonesModule } from './clones/clones.module';
import { CloudInitModule } from './cloud-init/cloud-init.module';
import { VmSnapshotsModule } from './vm-snapshots/vm-snapshots.module';
import { SchedulesModule } from './schedules/schedules.module';
import { TemplatesModule } from './templates/templates.module';
import { ConfigModule } from './config/config.module';
import { RateLimitModule } from './common/http/rate-limit.module';
import { ConsoleModule } from './console/console.module';
import { EngineConfig } from './config/config.schema';
import { DatabaseModule } from './database/database.module';
import { EventsModule } from './events/events.module';
import { EventsApiModule } from './events-api/events-api.module';
import { GcModule } from './gc/gc.module';
import { BalancingModule } from './balancing/balancing.module';
import { HealthModule } from './health/health.module';
import { HostEnrollmentModule } from './host-enrollment/host-enrollment.module';
import { HostNetworksModule } from './host-networks/host-networks.module';
import { InventoryModule } from './inventory/inventory.module';
import { RedisModule } from './redis/redis.module';
import { RetentionModule } from './retention/retention.module';
import { StatsModule } from './stats/stats.module';
import { StreamModule } from './stream/stream.module';
import { TasksModule } from './tasks/tasks.module';
import { StreamResponses } from './stream-responses';

/** Feature modules, one folder each. */
export const FEATURE_MODULES = [
  AuthModule,
  OidcModule,
  HealthModule,
  StreamModule,
  EventsModule,
  EventsApiModule,
  TasksModule,
  InventoryModule,
  HostEnrollmentModule,
  StatsModule,
  AgentsModule,
  VmOperationsModule,
  VmMigrationModule,
  MaintenanceModule,
  HaModule,
  HostNetworksModule,
  StorageLifecycleModule,
  ImagesModule,
  ConsoleModule,
  ClonesModule,
  TemplatesModule,
  VmSnapshotsModule,
  SchedulesModule,
  CloudInitModule,
  RetentionModule,
  GcModule,
  BalancingModule,
  MetricsModule,
];

@Module({})
export class AppModule {
  static forRoot(config: EngineConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.logLevel,
            autoLogging: false,
            // Lines a request writes carry its correlation id only (not the whole request with its
            // headers): the same id its tasks and audit events record.
            genReqId: (req, res) => {
              const id = correlationIdOf(req);
              res.setHeader('x-correlation-id', id);
              return id;
            },
            quietReqLogger: true,
            customAttributeKeys: { reqId: 'correlationId' },
            redact: ['req.headers.authorization', 'req.headers.cookie'],
          },
        }),
        MetricsCoreModule,
        DatabaseModule,
        RedisModule,
        RateLimitModule.forRoot(config),
        ...FEATURE_MODULES,
      ],
      providers: [StreamResponses],
    };
  }
}
