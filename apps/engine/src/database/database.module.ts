import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ENGINE_CONFIG } from '../config/config.module';
import { EngineConfig } from '../config/config.schema';
import { DataSource, DataSourceOptions } from 'typeorm';
import { dataSourceOptions } from './data-source-options';
import { runMigrationsUnderLock } from './migrate-under-lock';

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [ENGINE_CONFIG],
      useFactory: (config: EngineConfig) => ({
        ...dataSourceOptions(config.databaseUrl, config.databasePoolSize),
        migrationsRun: config.migrationsRun,
        retryAttempts: 3,
        retryDelay: 1000,
      }),
      // Migrations run here, under a lock, instead of through TypeORM's `migrationsRun` (which races
      // when two engines boot at once on one database).
      dataSourceFactory: async (options?: DataSourceOptions) => {
        const ds = await new DataSource({ ...options!, migrationsRun: false }).initialize();
        try {
          if (options?.migrationsRun) await runMigrationsUnderLock(ds);
        } catch (err) {
          await ds.destroy().catch(() => undefined);
          throw err;
        }
        return ds;
      },
    }),
  ],
})
export class DatabaseModule {}
