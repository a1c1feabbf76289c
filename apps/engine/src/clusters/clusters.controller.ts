import { Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CrudController } from '../inventory/crud.controller';
import { CreateClusterDto, ClusterListQuery, UpdateClusterDto } from './cluster.dto';
import { ClusterEntity } from './cluster.entity';
import { ClustersService } from './clusters.service';

@ApiTags('clusters')
@Controller('clusters')
export class ClustersController extends CrudController({
  entity: ClusterEntity,
  create: CreateClusterDto,
  update: UpdateClusterDto,
  list: ClusterListQuery,
}) {
  constructor(readonly svc: ClustersService) {
    super();
  }
}
