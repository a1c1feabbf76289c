import { Permission } from '@kelpie/shared-types';
import { on } from '../auth/access.decorator';
import { Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CrudController } from '../crud/crud.controller';
import { CreateNicDto, NicListQuery, UpdateNicDto } from './nic.dto';
import { NicEntity } from './nic.entity';
import { mapNic, NicResponse } from './nic.response';
import { NicsService } from './nics.service';

@ApiTags('nics')
@Controller('nics')
export class NicsController extends CrudController({
  entity: NicEntity,
  response: { type: NicResponse, map: mapNic },
  create: CreateNicDto,
  update: UpdateNicDto,
  list: NicListQuery,
  access: { type: 'nic', manage: Permission.VmEdit, createOn: on.body('vm', 'vmId') },
}) {
  constructor(readonly svc: NicsService) {
    super();
  }
}
