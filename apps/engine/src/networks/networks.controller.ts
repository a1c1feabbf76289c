import { Permission } from '@kelpie/shared-types';
import { on } from '../auth/access.decorator';
import { Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CrudController } from '../crud/crud.controller';
import { CreateNetworkDto, NetworkListQuery, UpdateNetworkDto } from './network.dto';
import { LogicalNetworkEntity } from './network.entity';
import { mapLogicalNetwork, LogicalNetworkResponse } from './network.response';
import { NetworksService } from './networks.service';

@ApiTags('networks')
@Controller('networks')
export class NetworksController extends CrudController({
  entity: LogicalNetworkEntity,
  response: { type: LogicalNetworkResponse, map: mapLogicalNetwork },
  create: CreateNetworkDto,
  update: UpdateNetworkDto,
  list: NetworkListQuery,
  access: {
    type: 'network',
    manage: Permission.NetworkManage,
    createOn: on.body('datacenter', 'datacenterId'),
  },
}) {
  constructor(readonly svc: NetworksService) {
    super();
  }
}
