import { Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CrudController } from '../inventory/crud.controller';
import { CreateNicDto, NicListQuery, UpdateNicDto } from './nic.dto';
import { NicEntity } from './nic.entity';
import { NicsService } from './nics.service';

@ApiTags('nics')
@Controller('nics')
export class NicsController extends CrudController({
  entity: NicEntity,
  create: CreateNicDto,
  update: UpdateNicDto,
  list: NicListQuery,
}) {
  constructor(readonly svc: NicsService) {
    super();
  }
}
