import { HostStatsSample, StatsReport, VmStatsSample } from '@kelpie/shared-types';
import { Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { ENGINE_CONFIG } from '../config/config.module';
import { EngineConfig } from '../config/config.schema';
import { REDIS } from '../redis/redis.module';

/** Samples kept per object: one hour at the agents' default 10 s interval. */
export const STATS_SAMPLES_KEPT = 360;
const TTL_SECONDS = 2 * 3600;
/** A key's TTL is renewed at most this often (not with every sample: a third of the commands). */
const RENEW_TTL_MS = 10 * 60_000;

export type HostSample = HostStatsSample;
export type VmSample = VmStatsSample;

/** A short, bounded history of stats for charts, in Redis lists (newest first). */
@Injectable()
export class StatsHistoryService {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(ENGINE_CONFIG) private readonly config: EngineConfig,
  ) {}

  /** Key → when this engine last renewed its TTL (only keys renewed within RENEW_TTL_MS are kept). */
  private renewed = new Map<string, number>();
  private lastSweep = Date.now();

  private key(kind: 'host' | 'vm', id: string): string {
    return `${this.config.redisPrefix}:stats:${kind}:${id}`;
  }

  async record(report: StatsReport): Promise<void> {
    const at = report.sentAt;
    const now = Date.now();
    this.sweep(now);
    // A pipeline, not MULTI: one write and one read either way, without Redis queueing each command.
    const pipe = this.redis.pipeline();
    const push = (kind: 'host' | 'vm', id: string, sample: HostSample | VmSample) => {
      const key = this.key(kind, id);
      pipe.lpush(key, JSON.stringify(sample)).ltrim(key, 0, STATS_SAMPLES_KEPT - 1);
      if (now - (this.renewed.get(key) ?? -Infinity) >= RENEW_TTL_MS) {
        pipe.expire(key, TTL_SECONDS);
        this.renewed.set(key, now);
      }
    };
    push('host', report.hostId, { at, ...report.host });
    for (const d of report.domains) {
      const sum = <T>(list: T[], f: (x: T) => number) => list.reduce((a, x) => a + f(x), 0);
      push('vm', d.uuid.toLowerCase(), {
        at,
        cpuPercent: d.cpuPercent,
        cpuTimeNs: d.cpuTimeNs,
        balloonKiB: d.balloonKiB,
        rssKiB: d.rssKiB,
        blockRdBytes: sum(d.block, (b) => b.rdBytes),
        blockWrBytes: sum(d.block, (b) => b.wrBytes),
        netRxBytes: sum(d.net, (n) => n.rxBytes),
        netTxBytes: sum(d.net, (n) => n.txBytes),
      });
    }
    await pipe.exec();
  }

  /** Forgets renewals old enough to be due again, so objects that stopped reporting leave the map. */
  private sweep(now: number): void {
    if (now - this.lastSweep < RENEW_TTL_MS) return;
    this.lastSweep = now;
    for (const [key, at] of this.renewed) if (now - at >= RENEW_TTL_MS) this.renewed.delete(key);
  }

  async history(kind: 'host' | 'vm', id: string, limit: number): Promise<(HostSample | VmSample)[]> {
    const raw = await this.redis.lrange(this.key(kind, id), 0, limit - 1);
    return raw.map((r) => JSON.parse(r) as HostSample | VmSample).reverse();
  }

  /** The newest sample of each object (null where none), in one round trip. */
  async latest(kind: 'host' | 'vm', ids: string[]): Promise<(HostSample | VmSample | null)[]> {
    if (ids.length === 0) return [];
    const pipe = this.redis.pipeline();
    for (const id of ids) pipe.lindex(this.key(kind, id), 0);
    const replies = (await pipe.exec()) ?? [];
    return replies.map(([err, raw]) =>
      !err && typeof raw === 'string' ? (JSON.parse(raw) as HostSample | VmSample) : null,
    );
  }
}
