import { commandQueueName } from '@kelpie/shared-types';
import { QueueKeys } from 'bullmq';
import type Redis from 'ioredis';

export interface QueueDepth {
  waiting: number;
  active: number;
  delayed: number;
  /** Seconds the oldest waiting command has waited (0 when none waits): an agent that stopped
   * consuming shows here long before its commands time out. */
  lagSeconds: number;
}

/**
 * Reads the depth of every host's command queue with two pipelined round trips, whatever the fleet
 * size (BullMQ's Queue API would cost a Queue object and several round trips per host). Keys come from
 * BullMQ's own QueueKeys; jobs are pushed on the left of `wait` and taken from the right, so the
 * oldest waiting job is its last element.
 */
export async function readQueueDepths(
  redis: Redis,
  prefix: string,
  hostIds: string[],
  now = Date.now(),
): Promise<Map<string, QueueDepth>> {
  const keys = new QueueKeys(prefix);
  const counts = redis.pipeline();
  for (const id of hostIds) {
    const k = keys.getKeys(commandQueueName(id));
    counts.llen(k.wait!).llen(k.active!).zcard(k.delayed!).zcard(k.prioritized!).lindex(k.wait!, -1);
  }
  const replies = ((await counts.exec()) ?? []).map(([err, v]) => (err ? null : v));
  const oldest = redis.pipeline();
  const depths = new Map<string, QueueDepth>();
  hostIds.forEach((id, i) => {
    const [wait, active, delayed, prioritized, oldestId] = replies.slice(i * 5, i * 5 + 5);
    depths.set(id, {
      waiting: Number(wait ?? 0) + Number(prioritized ?? 0),
      active: Number(active ?? 0),
      delayed: Number(delayed ?? 0),
      lagSeconds: 0,
    });
    oldest.hget(keys.toKey(commandQueueName(id), String(oldestId ?? '')), 'timestamp');
  });
  const stamps = (await oldest.exec()) ?? [];
  hostIds.forEach((id, i) => {
    const [err, ts] = stamps[i] ?? [null, null];
    const at = !err && ts ? Number(ts) : NaN;
    if (Number.isFinite(at)) depths.get(id)!.lagSeconds = Math.max(0, (now - at) / 1000);
  });
  return depths;
}
