import { Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CrudController } from '../inventory/crud.controller';
import { CreateHostDto, HostListQuery, UpdateHostDto } from './host.dto';
import { HostEntity } from './host.entity';
import { HostsService } from './hosts.service';

@ApiTags('hosts')
@Controller('hosts')
export class HostsController extends CrudController({
  entity: HostEntity,
  create: CreateHostDto,
  update: UpdateHostDto,
  list: HostListQuery,
}) {
  constructor(readonly svc: HostsService) {
    super();
  }
}
