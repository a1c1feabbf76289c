import { Permission } from '@kelpie/shared-types';
import { on } from '../auth/access.decorator';
import { Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CrudController } from '../crud/crud.controller';
import { CreateClusterDto, ClusterListQuery, UpdateClusterDto } from './cluster.dto';
import { mapCluster, ClusterResponse } from './cluster.response';
import { ClusterEntity } from './cluster.entity';
import { ClustersService } from './clusters.service';

@ApiTags('clusters')
@Controller('clusters')
export class ClustersController extends CrudController({
  entity: ClusterEntity,
  response: { type: ClusterResponse, map: mapCluster },
  create: CreateClusterDto,
  update: UpdateClusterDto,
  list: ClusterListQuery,
  access: {
    type: 'cluster',
    manage: Permission.ClusterManage,
    createOn: on.body('datacenter', 'datacenterId'),
  },
}) {
  constructor(readonly svc: ClustersService) {
    super();
  }
}
