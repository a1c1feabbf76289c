import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface HostRow {
  id: string;
  name: string;
  status: string;
  lastHeartbeatAt: Date | null;
}

export interface VmRow {
  id: string;
  name: string;
  hostId: string | null;
  status: string;
}

export interface CountRow {
  key: string;
  status: string;
  count: number;
}

/** What the fleet gauges read from Postgres at scrape time: a few grouped queries, no per-object ones. */
@Injectable()
export class FleetMetricsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  hosts(): Promise<HostRow[]> {
    return this.db.query(
      `SELECT id, name, status, last_heartbeat_at AS "lastHeartbeatAt" FROM host ORDER BY name`,
    );
  }

  /** VMs that run somewhere (their resource gauges); stopped ones have no samples to show. */
  placedVms(): Promise<VmRow[]> {
    return this.db.query(
      `SELECT id, name, host_id AS "hostId", status FROM vm WHERE host_id IS NOT NULL ORDER BY name`,
    );
  }

  /** VM counts per host (key: host id, '' for VMs on no host) and status. */
  async vmCounts(): Promise<CountRow[]> {
    const rows: { key: string | null; status: string; count: string }[] = await this.db.query(
      `SELECT host_id AS key, status, count(*) AS count FROM vm GROUP BY host_id, status`,
    );
    return rows.map((r) => ({ key: r.key ?? '', status: r.status, count: Number(r.count) }));
  }

  /** Tasks not yet final, per type (key) and status. */
  async activeTasks(): Promise<CountRow[]> {
    const rows: { key: string; status: string; count: string }[] = await this.db.query(
      `SELECT type AS key, status, count(*) AS count FROM task
        WHERE status IN ('queued', 'running') GROUP BY type, status`,
    );
    return rows.map((r) => ({ key: r.key, status: r.status, count: Number(r.count) }));
  }
}
