import { Permission } from '@kelpie/shared-types';
import { Can, CanList, on } from '../auth/access.decorator';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors, ApiPage } from '../common/http/openapi';
import { UuidParam } from '../common/http/uuid-param';
import { SnapshotEntity } from './snapshot.entity';

import { SnapshotListQuery } from './snapshot.dto';
import { SnapshotsService } from './snapshots.service';

@ApiTags('snapshots')
@Controller('snapshots')
export class SnapshotsController {
  constructor(private readonly svc: SnapshotsService) {}

  @Get()
  @CanList('snapshot')
  @ApiPage(SnapshotEntity)
  @ApiErrors(400)
  list(@Query() query: SnapshotListQuery) {
    return this.svc.list(query);
  }

  @Get(':id')
  @Can(Permission.View, on.param('snapshot'))
  @ApiOkResponse({ type: SnapshotEntity })
  @ApiErrors(400, 404)
  get(@UuidParam() id: string) {
    return this.svc.get(id);
  }
}
