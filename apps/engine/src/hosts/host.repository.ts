import { HostStatus } from '@kelpie/shared-types';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Not, Repository } from 'typeorm';
import { HostEntity } from './host.entity';

/** What report handling needs to know about the reporting host. */
export interface HostFacts {
  id: string;
  name: string;
  clusterId: string;
  datacenterId: string;
  status: HostStatus;
  statusReason: string | null;
}

/** One host's latest heartbeat, as recorded. */
export interface HeartbeatRow {
  id: string;
  at: Date;
  /** The load figures as stored (with their time), or null. */
  load: string | null;
  protocolVersion: number | null;
}

/** The host table's statements beyond plain entity reads and writes (heartbeats are written in
 * batches by the agents feature, read by its host monitor). */
@Injectable()
export class HostRepository {
  constructor(@InjectRepository(HostEntity) private readonly hosts: Repository<HostEntity>) {}

  /** The host's name, status and where it sits (its cluster's datacenter), in one statement. */
  async factsOf(hostId: string): Promise<HostFacts | undefined> {
    const rows: HostFacts[] = await this.hosts.query(
      `SELECT h.id, h.name, h.cluster_id AS "clusterId", c.datacenter_id AS "datacenterId",
              h.status, h.status_reason AS "statusReason"
         FROM host h JOIN cluster c ON c.id = h.cluster_id WHERE h.id = $1`,
      [hostId],
    );
    return rows[0];
  }

  /** The hosts of a cluster whose agent ever sent a heartbeat, by name. */
  everConnectedIn(clusterId: string): Promise<HostEntity[]> {
    return this.hosts.find({ where: { clusterId, lastHeartbeatAt: Not(IsNull()) }, order: { name: 'ASC' } });
  }

  /** Records a batch in one statement; returns each updated host's status. */
  async recordHeartbeats(batch: HeartbeatRow[]): Promise<{ id: string; status: HostStatus }[]> {
    const r: unknown = await this.hosts.query(
      `UPDATE host h SET last_heartbeat_at = u.at, load = u.load, agent_protocol_version = u.pv
         FROM unnest($1::uuid[], $2::timestamptz[], $3::jsonb[], $4::int[]) AS u(id, at, load, pv)
        WHERE h.id = u.id
        RETURNING h.id, h.status`,
      [
        batch.map((b) => b.id),
        batch.map((b) => b.at.toISOString()),
        batch.map((b) => b.load),
        batch.map((b) => b.protocolVersion),
      ],
    );
    return (Array.isArray(r) && Array.isArray(r[0]) ? r[0] : r) as { id: string; status: HostStatus }[];
  }

  /** Hosts in one of `statuses` whose last recorded heartbeat is older than `cutoff` (or none). */
  silentSince(statuses: HostStatus[], cutoff: Date): Promise<{ id: string; last: Date | null }[]> {
    return this.hosts.query(
      `SELECT id, last_heartbeat_at AS last FROM host
        WHERE status = ANY($1) AND (last_heartbeat_at IS NULL OR last_heartbeat_at < $2)`,
      [statuses, cutoff],
    );
  }
}
