import type { HostLeaseSighting } from '@kelpie/shared-types';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { QueryFailedError, Repository } from 'typeorm';
import { HostRepository } from '../hosts/host.repository';
import { HostLeaseEntity } from './host-lease.entity';

/** The lease's foreign key to its host (ON DELETE CASCADE): a host deleted meanwhile. */
const LEASE_HOST_FK = 'fk_host_lease_host';

@Injectable()
export class HostLeaseRepository {
  constructor(
    @InjectRepository(HostLeaseEntity) private readonly leases: Repository<HostLeaseEntity>,
    private readonly hosts: HostRepository,
  ) {}

  /**
   * One observer's sightings, received at `at`: the times only move forward (of several observers,
   * the one that saw the record change last wins — any host seeing it renewed proves its writer alive).
   * Sightings of hosts that are not (or no longer) in the inventory are dropped: the hosts are asked
   * first, and one deleted after that answer is caught by the foreign key (its lease would be
   * deleted with it anyway) without failing the rest of the report.
   */
  async record(observer: string, at: Date, sightings: HostLeaseSighting[]): Promise<void> {
    if (!sightings.length) return;
    const known = await this.hosts.existing(sightings.map((s) => s.hostId));
    for (const s of sightings) {
      if (!known.has(s.hostId)) continue;
      const unchangedSince = new Date(at.getTime() - s.unchangedForMs);
      try {
        await this.leases.query(
          `INSERT INTO host_lease (host_id, renewed_at, unchanged_since, checked_at, checked_by)
           VALUES ($1, $2::timestamptz, $3::timestamptz, $4::timestamptz, $5)
           ON CONFLICT (host_id) DO UPDATE SET
             renewed_at = GREATEST(host_lease.renewed_at, EXCLUDED.renewed_at),
             unchanged_since = GREATEST(host_lease.unchanged_since, EXCLUDED.unchanged_since),
             checked_at = GREATEST(host_lease.checked_at, EXCLUDED.checked_at),
             checked_by = CASE WHEN EXCLUDED.checked_at >= host_lease.checked_at
                               THEN EXCLUDED.checked_by ELSE host_lease.checked_by END`,
          [s.hostId, s.renewalSeen ? unchangedSince : null, unchangedSince, at, observer],
        );
      } catch (e) {
        if (!hostGone(e)) throw e;
      }
    }
  }

  find(hostId: string): Promise<HostLeaseEntity | null> {
    return this.leases.findOneBy({ hostId });
  }
}

function hostGone(e: unknown): boolean {
  if (!(e instanceof QueryFailedError)) return false;
  const pg = e.driverError as { code?: string; constraint?: string };
  return pg.code === '23503' && pg.constraint === LEASE_HOST_FK;
}
