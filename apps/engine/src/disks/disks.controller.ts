import { Permission } from '@kelpie/shared-types';
import { on } from '../auth/access.decorator';
import { Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CrudController } from '../crud/crud.controller';
import { CreateDiskDto, DiskListQuery, UpdateDiskDto } from './disk.dto';
import { DiskEntity } from './disk.entity';
import { mapDisk, DiskResponse } from './disk.response';
import { DisksService } from './disks.service';

@ApiTags('disks')
@Controller('disks')
export class DisksController extends CrudController({
  entity: DiskEntity,
  response: { type: DiskResponse, map: mapDisk },
  create: CreateDiskDto,
  update: UpdateDiskDto,
  list: DiskListQuery,
  access: { type: 'disk', manage: Permission.VmEdit, createOn: on.body('storage_domain', 'storageDomainId') },
}) {
  constructor(readonly svc: DisksService) {
    super();
  }
}
