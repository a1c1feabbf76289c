import { ObjectType, Page } from '@kelpie/shared-types';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { notFound } from '../common/errors/domain-error';
import { ListSpec, paginate } from '../common/list/list-query';
import { SnapshotEntity } from './snapshot.entity';

import { SnapshotListQuery } from './snapshot.dto';
const LIST: ListSpec = {
  sortable: { name: 's.name', createdAt: 's.createdAt' },
  defaultSort: 'createdAt',
  search: 's.name',
  filters: { vmId: 's.vmId' },
};

/** Read side of snapshots; taking, reverting and deleting them belong to the VM lifecycle (tasks). */
@Injectable()
export class SnapshotsService {
  constructor(@InjectRepository(SnapshotEntity) readonly repo: Repository<SnapshotEntity>) {}

  list(query: SnapshotListQuery): Promise<Page<SnapshotEntity>> {
    return paginate(this.repo.createQueryBuilder('s'), query, LIST);
  }

  async get(id: string): Promise<SnapshotEntity> {
    const s = await this.repo.findOneBy({ id });
    if (!s) throw notFound(ObjectType.Snapshot, id);
    return s;
  }
}
