import { migrations } from '@kelpie/migrations';
import type { DataSourceOptions } from 'typeorm';
import { entities } from './entities';
import { SnakeNamingStrategy } from './naming-strategy';

export function dataSourceOptions(databaseUrl: string, poolSize?: number): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    ...(poolSize !== undefined ? { extra: { max: poolSize } } : {}),
    entities,
    migrations,
    synchronize: false,
    migrationsTransactionMode: 'each',
    namingStrategy: new SnakeNamingStrategy(),
  };
}
