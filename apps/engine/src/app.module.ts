import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AgentsModule } from './agents/agents.module';
import { VmOperationsModule } from './vm-operations/vm-operations.module';
import { MaintenanceModule } from './maintenance/maintenance.module';
import { VmMigrationModule } from './vm-migration/vm-migration.module';
import { ClonesModule } from './clones/clones.module';
import { CloudInitModule } from './cloud-init/cloud-init.module';
import { VmSnapshotsModule } from './snapshots/vm-snapshots.module';
import { TemplatesModule } from './templates/templates.module';
import { ConfigModule } from './config/config.module';
import { RateLimitModule } from './common/http/rate-limit.module';
import { ConsoleModule } from './console/console.module';
import { EngineConfig } from './config/config.schema';
import { DatabaseModule } from './database/database.module';
import { EventsModule } from './events/events.module';
import { GcModule } from './gc/gc.module';
import { HealthModule } from './health/health.module';
import { InventoryModule } from './inventory/inventory.module';
import { RedisModule } from './redis/redis.module';
import { RetentionModule } from './retention/retention.module';
import { StatsModule } from './stats/stats.module';
import { StreamModule } from './stream/stream.module';
import { TasksModule } from './tasks/tasks.module';

/** Feature modules, one folder each. */
export const FEATURE_MODULES = [
  HealthModule,
  StreamModule,
  EventsModule,
  TasksModule,
  InventoryModule,
  StatsModule,
  AgentsModule,
  VmOperationsModule,
  VmMigrationModule,
  MaintenanceModule,
  ConsoleModule,
  ClonesModule,
  TemplatesModule,
  VmSnapshotsModule,
  CloudInitModule,
  RetentionModule,
  GcModule,
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
            redact: ['req.headers.authorization', 'req.headers.cookie'],
          },
        }),
        DatabaseModule,
        RedisModule,
        RateLimitModule.forRoot(config),
        ...FEATURE_MODULES,
      ],
    };
  }
}
