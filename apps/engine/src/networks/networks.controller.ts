import { Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CrudController } from '../inventory/crud.controller';
import { CreateNetworkDto, NetworkListQuery, UpdateNetworkDto } from './network.dto';
import { LogicalNetworkEntity } from './network.entity';
import { NetworksService } from './networks.service';

@ApiTags('networks')
@Controller('networks')
export class NetworksController extends CrudController({
  entity: LogicalNetworkEntity,
  create: CreateNetworkDto,
  update: UpdateNetworkDto,
  list: NetworkListQuery,
}) {
  constructor(readonly svc: NetworksService) {
    super();
  }
}
