import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AgentsModule } from './agents/agents.module';
import { ConfigModule } from './config/config.module';
import { EngineConfig } from './config/config.schema';
import { DatabaseModule } from './database/database.module';
import { EventsModule } from './events/events.module';
import { HealthModule } from './health/health.module';
import { InventoryModule } from './inventory/inventory.module';
import { RedisModule } from './redis/redis.module';
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
        ...FEATURE_MODULES,
      ],
    };
  }
}
