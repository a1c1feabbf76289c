import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { DataCenterEntity } from './datacenter.entity';
import { treeRefs, type AccessLink, type DatacenterAccess } from '../auth/access-tree.port';

/** The datacenter table as other features read it (checking the datacenter a request names). */
@Injectable()
export class DataCenterRepository implements DatacenterAccess {
  constructor(
    @InjectRepository(DataCenterEntity) private readonly datacenters: Repository<DataCenterEntity>,
  ) {}

  /** The datacenter, if it exists (DatacenterAccess: the root of the grant tree under the system). */
  async accessLink(id: string): Promise<AccessLink | null> {
    return (await this.datacenters.existsBy({ id })) ? { refs: treeRefs(['datacenter', id]) } : null;
  }

  /** The datacenter, or null. */
  find(id: string): Promise<DataCenterEntity | null> {
    return this.datacenters.findOneBy({ id });
  }
}
