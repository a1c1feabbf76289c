import { migrations } from '@kelpie/migrations';
import type { DataSourceOptions } from 'typeorm';
import { entities } from './entities';

export function dataSourceOptions(databaseUrl: string): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    entities,
    migrations,
    synchronize: false,
    migrationsTransactionMode: 'each',
  };
}
