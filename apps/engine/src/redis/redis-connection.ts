import { parseRedisUrl, sentinelConnectionOptions } from '@kelpie/shared-types';
import Redis, { type RedisOptions } from 'ioredis';

/**
 * A connection to the Redis the URL names: one server, or the current primary of a Sentinel group
 * (after a failover it lands on the new primary by itself). Every engine connection is made here.
 */
export function connectRedis(url: string, options: RedisOptions): Redis {
  const target = parseRedisUrl(url);
  if (target.kind === 'server') return new Redis(url, options);
  return new Redis({ ...options, ...sentinelConnectionOptions(target) });
}
