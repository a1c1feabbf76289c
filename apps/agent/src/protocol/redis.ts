import { parseRedisUrl, sentinelConnectionOptions } from '@kelpie/shared-types';
import IORedis, { type Redis, type RedisOptions } from 'ioredis';

/** A Redis connection for BullMQ (workers need maxRetriesPerRequest: null). Each component gets its
 * own, so a blocked command worker connection can never delay a heartbeat. A Sentinel URL connects to
 * the group's current primary and follows it through a failover (asked again at every reconnect). */
export function createRedis(url: string, name: string): Redis {
  const options: RedisOptions = {
    maxRetriesPerRequest: null,
    connectionName: name,
    enableReadyCheck: true,
    lazyConnect: false,
  };
  const target = parseRedisUrl(url);
  if (target.kind === 'server') return new IORedis(url, options);
  return new IORedis({ ...options, ...sentinelConnectionOptions(target) });
}
