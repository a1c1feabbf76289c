import { Inject, Injectable, Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { ENGINE_CONFIG } from '../config/config.module';
import { EngineConfig } from '../config/config.schema';
import { REDIS } from '../redis/redis.module';

/**
 * A report older than what was applied by at most this much is stale: redelivered late (a stalled
 * job, an outbox entry claimed from a dead engine, an agent's retry) and dropped. One older by more
 * is taken as the host's clock having been set back, never as staleness: reports are not redelivered
 * minutes late, and a clock step must not freeze a host's inventory.
 */
export const STALE_WINDOW_MS = 120_000;
/** Clocks of hosts that stop reporting (removed) are forgotten. */
const CLOCK_TTL_MS = 24 * 3600_000;

/**
 * A listing taken at ARGV[1]: stale (returns {0}) when an applied listing is newer within the
 * window; else it becomes the host's listing time, the VM clocks it supersedes are dropped, and the
 * VMs whose last domain event is newer than it are returned (the listing must not undo them).
 */
const ADMIT_LISTING = `
local at = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local last = tonumber(redis.call('HGET', KEYS[1], '~listing') or '0')
if last > at and last - at <= window then return {0} end
local out = {1}
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  local field, value = all[i], tonumber(all[i + 1])
  if field ~= '~listing' then
    if value > at then table.insert(out, field) else redis.call('HDEL', KEYS[1], field) end
  end
end
redis.call('HSET', KEYS[1], '~listing', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return out`;

/** A domain event observed at ARGV[2]: stale (0) when the VM's last applied event or the host's last
 * listing is newer within the window; else it becomes the VM's clock (1). */
const ADMIT_EVENT = `
local at = tonumber(ARGV[2])
local window = tonumber(ARGV[3])
local newest = math.max(tonumber(redis.call('HGET', KEYS[1], '~listing') or '0'),
  tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0'))
if newest > at and newest - at <= window then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1`;

/**
 * Orders one host's reports by the host's own clock, shared by every engine (Redis): a listing or a
 * domain event older than what was already applied for the host or the VM is dropped instead of
 * rolling the inventory back (seen: a late "paused, incoming migration" of an earlier migration
 * applied after the VM had moved on). When Redis does not answer, reports are applied as they come.
 */
@Injectable()
export class ReportFreshness {
  private readonly logger = new Logger('Reports');

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(ENGINE_CONFIG) private readonly config: EngineConfig,
  ) {}

  /** Whether a listing taken at `listedAt` is current and, if so, the VMs it must leave alone. */
  async admitListing(
    hostId: string,
    listedAt: string,
  ): Promise<{ fresh: false } | { fresh: true; newerEvents: Set<string> }> {
    const reply = await this.redis
      .eval(ADMIT_LISTING, 1, this.key(hostId), Date.parse(listedAt), STALE_WINDOW_MS, CLOCK_TTL_MS)
      .catch((err: Error) => {
        this.logger.warn(`listing of host ${hostId} applied unordered (Redis: ${err.message})`);
        return [1];
      });
    const [fresh, ...newer] = reply as [number, ...string[]];
    return fresh === 1 ? { fresh: true, newerEvents: new Set(newer) } : { fresh: false };
  }

  /** Whether an event of VM `vmId` observed at `observedAt` is newer than what was applied. */
  async admitEvent(hostId: string, vmId: string, observedAt: string): Promise<boolean> {
    const fresh = await this.redis
      .eval(ADMIT_EVENT, 1, this.key(hostId), vmId, Date.parse(observedAt), STALE_WINDOW_MS, CLOCK_TTL_MS)
      .catch((err: Error) => {
        this.logger.warn(`event of VM ${vmId} applied unordered (Redis: ${err.message})`);
        return 1;
      });
    return fresh === 1;
  }

  private key(hostId: string): string {
    return `${this.config.redisPrefix}:report-clock:${hostId}`;
  }
}
