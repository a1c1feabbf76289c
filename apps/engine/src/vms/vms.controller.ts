import { Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CrudController } from '../inventory/crud.controller';
import { CreateVmDto, VmListQuery, UpdateVmDto } from './vm.dto';
import { VmEntity } from './vm.entity';
import { VmsService } from './vms.service';

@ApiTags('vms')
@Controller('vms')
export class VmsController extends CrudController({
  entity: VmEntity,
  create: CreateVmDto,
  update: UpdateVmDto,
  list: VmListQuery,
}) {
  constructor(readonly svc: VmsService) {
    super();
  }
}
