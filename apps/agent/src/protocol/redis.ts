import IORedis, { type Redis } from 'ioredis';

/** A Redis connection for BullMQ (workers need maxRetriesPerRequest: null). Each component gets its
 * own, so a blocked command worker connection can never delay a heartbeat. */
export function createRedis(url: string, name: string): Redis {
  return new IORedis(url, {
    maxRetriesPerRequest: null,
    connectionName: name,
    enableReadyCheck: true,
    lazyConnect: false,
  });
}
