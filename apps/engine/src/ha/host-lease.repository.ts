import type { HostLeaseSighting } from '@kelpie/shared-types';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { HostLeaseEntity } from './host-lease.entity';

@Injectable()
export class HostLeaseRepository {
  constructor(@InjectRepository(HostLeaseEntity) private readonly leases: Repository<HostLeaseEntity>) {}

  /**
   * One observer's sightings, received at `at`: the times only move forward (of several observers,
   * the one that saw the record change last wins — any host seeing it renewed proves its writer alive).
   * Sightings of hosts that are not (or no longer) in the inventory are dropped.
   */
  async record(observer: string, at: Date, sightings: HostLeaseSighting[]): Promise<void> {
    for (const s of sightings) {
      const unchangedSince = new Date(at.getTime() - s.unchangedForMs);
      await this.leases.query(
        `INSERT INTO host_lease (host_id, renewed_at, unchanged_since, checked_at, checked_by)
         SELECT h.id, $2::timestamptz, $3::timestamptz, $4::timestamptz, $5 FROM host h WHERE h.id = $1
         ON CONFLICT (host_id) DO UPDATE SET
           renewed_at = GREATEST(host_lease.renewed_at, EXCLUDED.renewed_at),
           unchanged_since = GREATEST(host_lease.unchanged_since, EXCLUDED.unchanged_since),
           checked_at = GREATEST(host_lease.checked_at, EXCLUDED.checked_at),
           checked_by = CASE WHEN EXCLUDED.checked_at >= host_lease.checked_at
                             THEN EXCLUDED.checked_by ELSE host_lease.checked_by END`,
        [s.hostId, s.renewalSeen ? unchangedSince : null, unchangedSince, at, observer],
      );
    }
  }

  find(hostId: string): Promise<HostLeaseEntity | null> {
    return this.leases.findOneBy({ hostId });
  }
}
