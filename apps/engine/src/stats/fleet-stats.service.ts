import { FleetStats, HostStatsSample, HostStatus } from '@kelpie/shared-types';
import { Injectable } from '@nestjs/common';
import { HostRepository } from '../hosts/host.repository';
import { fleetBuckets } from './fleet-buckets';
import { StatsHistoryService } from './stats-history.service';

/** Hosts send stats every 10 s: an answer this young is served again (one read of every host's
 * history for all the dashboards open at that moment, not one per dashboard). */
export const FLEET_REUSE_MS = 2000;

/** Fleet-wide CPU and memory over time, from the Up hosts' stats histories (one answer instead of one
 * request per host from the dashboard). */
@Injectable()
export class FleetStatsService {
  private readonly recent = new Map<string, { at: number; answer: Promise<FleetStats> }>();

  constructor(
    private readonly history: StatsHistoryService,
    private readonly hosts: HostRepository,
  ) {}

  fleet(limit: number, bucketSeconds: number, now = Date.now()): Promise<FleetStats> {
    for (const [k, v] of this.recent) if (now - v.at >= FLEET_REUSE_MS) this.recent.delete(k);
    const key = `${limit}/${bucketSeconds}`;
    const hit = this.recent.get(key);
    if (hit) return hit.answer;
    const answer = this.read(limit, bucketSeconds);
    this.recent.set(key, { at: now, answer });
    answer.catch(() => this.recent.delete(key));
    return answer;
  }

  private async read(limit: number, bucketSeconds: number): Promise<FleetStats> {
    const up = await this.hosts.ids(HostStatus.Up);
    const perHost = await Promise.all(
      up.map((id) => this.history.history('host', id, limit) as Promise<HostStatsSample[]>),
    );
    return { hosts: up.length, bucketSeconds, samples: fleetBuckets(perHost, bucketSeconds * 1000) };
  }
}
