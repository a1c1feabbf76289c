import { ObjectType, Page } from '@kelpie/shared-types';
import { Controller, Get, Injectable, Query } from '@nestjs/common';
import { ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { InjectRepository } from '@nestjs/typeorm';
import { IsOptional, IsUUID } from 'class-validator';
import { Repository } from 'typeorm';
import { notFound } from '../common/errors/domain-error';
import { ApiErrors, ApiPage } from '../common/http/openapi';
import { UuidParam } from '../common/http/uuid-param';
import { ListQueryDto, ListSpec, paginate } from '../common/list/list-query';
import { SnapshotEntity } from './snapshot.entity';

export class SnapshotListQuery extends ListQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  vmId?: string;
}

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

@ApiTags('snapshots')
@Controller('snapshots')
export class SnapshotsController {
  constructor(private readonly svc: SnapshotsService) {}

  @Get()
  @ApiPage(SnapshotEntity)
  @ApiErrors(400)
  list(@Query() query: SnapshotListQuery) {
    return this.svc.list(query);
  }

  @Get(':id')
  @ApiOkResponse({ type: SnapshotEntity })
  @ApiErrors(400, 404)
  get(@UuidParam() id: string) {
    return this.svc.get(id);
  }
}
