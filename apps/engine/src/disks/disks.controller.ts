import { Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CrudController } from '../inventory/crud.controller';
import { CreateDiskDto, DiskListQuery, UpdateDiskDto } from './disk.dto';
import { DiskEntity } from './disk.entity';
import { DisksService } from './disks.service';

@ApiTags('disks')
@Controller('disks')
export class DisksController extends CrudController({
  entity: DiskEntity,
  create: CreateDiskDto,
  update: UpdateDiskDto,
  list: DiskListQuery,
}) {
  constructor(readonly svc: DisksService) {
    super();
  }
}
