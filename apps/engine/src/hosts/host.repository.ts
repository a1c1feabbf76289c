import { HostStatus } from '@kelpie/shared-types';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
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

/** The host table's statements beyond plain entity reads and writes. */
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
}
