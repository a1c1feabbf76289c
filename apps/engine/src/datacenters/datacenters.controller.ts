import { Permission } from '@kelpie/shared-types';
import { on } from '../auth/access.decorator';
import { Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CrudController } from '../crud/crud.controller';
import { CreateDataCenterDto, DataCenterListQuery, UpdateDataCenterDto } from './datacenter.dto';
import { mapDataCenter, DataCenterResponse } from './datacenter.response';
import { DataCenterEntity } from './datacenter.entity';
import { DataCentersService } from './datacenters.service';

@ApiTags('datacenters')
@Controller('datacenters')
export class DataCentersController extends CrudController({
  entity: DataCenterEntity,
  response: { type: DataCenterResponse, map: mapDataCenter },
  create: CreateDataCenterDto,
  update: UpdateDataCenterDto,
  list: DataCenterListQuery,
  access: { type: 'datacenter', manage: Permission.DataCenterManage, createOn: on.system },
}) {
  constructor(readonly svc: DataCentersService) {
    super();
  }
}
