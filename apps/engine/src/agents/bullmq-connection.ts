import Redis from 'ioredis';
import { EngineConfig } from '../config/config.schema';
import { connectRedis } from '../redis/redis-connection';

/** BullMQ needs its own connections (blocking reads, maxRetriesPerRequest: null); the name shows in
 * `CLIENT LIST`, which helps when counting connections per engine. */
export function bullConnection(config: EngineConfig, name: string): Redis {
  return connectRedis(config.redisUrl, {
    connectionName: `kelpie-engine:${name}`,
    maxRetriesPerRequest: null,
    connectTimeout: 2000,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
}
