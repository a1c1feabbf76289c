import { HostStatus } from '@kelpie/shared-types';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** One host's latest heartbeat, as recorded. */
export interface HeartbeatRow {
  id: string;
  at: Date;
  /** The load figures as stored (with their time), or null. */
  load: string | null;
  protocolVersion: number | null;
}

/** Heartbeats in the database: written in batches, read by the host monitor. */
@Injectable()
export class HostHeartbeatsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Records a batch in one statement; returns each updated host's status. */
  async record(batch: HeartbeatRow[]): Promise<{ id: string; status: HostStatus }[]> {
    const r: unknown = await this.db.query(
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
    return this.db.query(
      `SELECT id, last_heartbeat_at AS last FROM host
        WHERE status = ANY($1) AND (last_heartbeat_at IS NULL OR last_heartbeat_at < $2)`,
      [statuses, cutoff],
    );
  }
}
