import { ErrorCode } from '@kelpie/shared-types';
import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import type { Principal } from '../common/identity/request-context';
import { DomainError } from '../common/errors/domain-error';
import { ENGINE_CONFIG } from '../config/config.module';
import { EngineConfig } from '../config/config.schema';
import { REDIS } from '../redis/redis.module';

/** A connection's lease in Redis; its engine renews it every third of it, so the leases of an engine
 * that died (no close ever ran) stop counting after this long. */
export const STREAM_LEASE_MS = 30_000;

/** Redis server time, in ms (engines' clocks may differ; the leases are compared on one clock). */
const NOW = `local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;
/** Drops expired leases, then adds one unless `max` are held: 1 when added, 0 when refused. */
const ACQUIRE = `${NOW}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1`;
/** Renews a lease that is still there. */
const RENEW = `${NOW}
if redis.call('ZADD', KEYS[1], 'XX', 'CH', now + tonumber(ARGV[2]), ARGV[1]) then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 1`;

/** A client is the authenticated user (all their sessions and tokens together). */
export function streamClientKey(p: Principal): string {
  return `user:${p.userId}`;
}

/**
 * Counts the live-stream connections each client holds across every engine, so one client (a script
 * that opens streams in a loop, a portal with hundreds of tabs) cannot take the engines' sockets and
 * memory: past `KELPIE_STREAM_MAX_PER_CLIENT` the next one is refused with 429. Each connection is a
 * lease in a Redis sorted set per client; when Redis does not answer, this engine still caps what it
 * holds itself.
 */
@Injectable()
export class StreamClientsService implements OnModuleDestroy {
  private readonly logger = new Logger('Stream');
  private readonly open = new Map<string, number>();
  /** Lease id → client key, for renewal. */
  private readonly leases = new Map<string, string>();
  private readonly renewer: NodeJS.Timeout;

  constructor(
    @Inject(ENGINE_CONFIG) private readonly config: EngineConfig,
    @Inject(REDIS) private readonly redis: Redis,
  ) {
    this.renewer = setInterval(() => void this.renew(), Math.floor(STREAM_LEASE_MS / 3)).unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.renewer);
  }

  /** Registers one connection of `key`, or throws 429; call the returned function exactly once on close. */
  async acquire(key: string): Promise<() => void> {
    const max = this.config.streamMaxPerClient;
    const held = this.open.get(key) ?? 0;
    const lease = randomUUID();
    const setKey = this.setKey(key);
    const granted = await this.redis
      .eval(ACQUIRE, 1, setKey, lease, max, STREAM_LEASE_MS)
      .then((r) => r === 1)
      .catch((err: Error) => {
        this.logger.warn(`live-stream connections counted on this engine only (Redis: ${err.message})`);
        return held < max;
      });
    if (!granted) {
      throw new DomainError(
        ErrorCode.RateLimited,
        `too many live-stream connections for this client (at most ${max} across all engines); close one first`,
        [{ reason: `at most ${max} live-stream connections per user` }],
      );
    }
    this.open.set(key, held + 1);
    this.leases.set(lease, key);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.leases.delete(lease);
      void this.redis.zrem(setKey, lease).catch(() => undefined); // else it expires with its lease
      const left = (this.open.get(key) ?? 1) - 1;
      if (left > 0) this.open.set(key, left);
      else this.open.delete(key);
    };
  }

  /** Connections held per client on this engine (diagnostics and tests). */
  held(key: string): number {
    return this.open.get(key) ?? 0;
  }

  total(): number {
    let n = 0;
    for (const v of this.open.values()) n += v;
    return n;
  }

  private setKey(key: string): string {
    return `${this.config.redisPrefix}:stream-clients:${key}`;
  }

  private async renew(): Promise<void> {
    if (!this.leases.size) return;
    const batch = this.redis.pipeline();
    for (const [lease, key] of this.leases) batch.eval(RENEW, 1, this.setKey(key), lease, STREAM_LEASE_MS);
    await batch.exec().catch((err: Error) => this.logger.debug(`stream leases not renewed: ${err.message}`));
  }
}
