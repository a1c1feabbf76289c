import { Page, Permission } from '@kelpie/shared-types';
import { Can, CanList, on } from '../auth/access.decorator';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors, ApiPage } from '../common/http/openapi';
import { UuidParam } from '../common/http/uuid-param';
import { mapSnapshot, SnapshotResponse } from './snapshot.response';
import { SnapshotListQuery } from './snapshot.dto';
import { SnapshotsService } from './snapshots.service';

@ApiTags('snapshots')
@Controller('snapshots')
export class SnapshotsController {
  constructor(private readonly svc: SnapshotsService) {}

  @Get()
  @CanList('snapshot')
  @ApiPage(SnapshotResponse)
  @ApiErrors(400)
  async list(@Query() query: SnapshotListQuery): Promise<Page<SnapshotResponse>> {
    const page = await this.svc.list(query);
    return { ...page, items: page.items.map(mapSnapshot) };
  }

  @Get(':id')
  @Can(Permission.View, on.param('snapshot'))
  @ApiOkResponse({ type: SnapshotResponse })
  @ApiErrors(400, 404)
  async get(@UuidParam() id: string): Promise<SnapshotResponse> {
    return mapSnapshot(await this.svc.get(id));
  }
}
