import { FleetStats, HostStatsSample, HostStatus } from '@kelpie/shared-types';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { HostEntity } from '../hosts/host.entity';
import { fleetBuckets } from './fleet-buckets';
import { StatsHistoryService } from './stats-history.service';

/** Fleet-wide CPU and memory over time, from the Up hosts' stats histories (one answer instead of one
 * request per host from the dashboard). */
@Injectable()
export class FleetStatsService {
  constructor(
    private readonly history: StatsHistoryService,
    @InjectRepository(HostEntity) private readonly hosts: Repository<HostEntity>,
  ) {}

  async fleet(limit: number, bucketSeconds: number): Promise<FleetStats> {
    const up = await this.hosts.find({ select: { id: true }, where: { status: HostStatus.Up } });
    const perHost = await Promise.all(
      up.map((h) => this.history.history('host', h.id, limit) as Promise<HostStatsSample[]>),
    );
    return { hosts: up.length, bucketSeconds, samples: fleetBuckets(perHost, bucketSeconds * 1000) };
  }
}
