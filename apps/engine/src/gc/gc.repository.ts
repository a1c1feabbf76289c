import { HostStatus, VmStatus } from '@kelpie/shared-types';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface GcHostRow {
  id: string;
  name: string;
  datacenter_id: string;
}
export interface GcVmRow {
  id: string;
  host_id: string | null;
  host_name: string | null;
  status: VmStatus;
}
export interface GcStorageRow {
  id: string;
  path: string;
}

/** What the garbage collector reads from the database: the hosts it lists, their storage, and which
 * of the listed disks and domains Kelpie still knows. */
@Injectable()
export class GcRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Up hosts with their datacenter, by name. */
  upHosts(): Promise<GcHostRow[]> {
    return this.db.query(
      `SELECT h.id, h.name, c.datacenter_id FROM host h JOIN cluster c ON c.id = h.cluster_id
        WHERE h.status = $1 ORDER BY h.name`,
      [HostStatus.Up],
    );
  }

  storageDomainsOf(datacenterId: string): Promise<GcStorageRow[]> {
    return this.db.query(`SELECT id, path FROM storage_domain WHERE datacenter_id = $1`, [datacenterId]);
  }

  /** Disks whose id or volume path is among those listed. */
  knownDisks(
    ids: string[],
    paths: string[],
  ): Promise<{ id: string; volume_path: string | null; active_image_path: string | null }[]> {
    // A disk's active image (an external snapshot's overlay) is as much in use as its volume.
    return this.db.query(
      `SELECT id::text, volume_path, active_image_path FROM disk
        WHERE id = ANY($1::uuid[]) OR volume_path = ANY($2::text[]) OR active_image_path = ANY($2::text[])`,
      [ids, paths],
    );
  }

  /** VMs among the listed domain uuids, with the host each is on (if any) and its status. */
  knownVms(ids: string[]): Promise<GcVmRow[]> {
    return this.db.query(
      `SELECT v.id::text, v.host_id::text, h.name AS host_name, v.status FROM vm v
         LEFT JOIN host h ON h.id = v.host_id WHERE v.id = ANY($1::uuid[])`,
      [ids],
    );
  }
}
