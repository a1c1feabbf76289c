import { Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CrudController } from '../inventory/crud.controller';
import { CreateDataCenterDto, DataCenterListQuery, UpdateDataCenterDto } from './datacenter.dto';
import { DataCenterEntity } from './datacenter.entity';
import { DataCentersService } from './datacenters.service';

@ApiTags('datacenters')
@Controller('datacenters')
export class DataCentersController extends CrudController({
  entity: DataCenterEntity,
  create: CreateDataCenterDto,
  update: UpdateDataCenterDto,
  list: DataCenterListQuery,
}) {
  constructor(readonly svc: DataCentersService) {
    super();
  }
}
