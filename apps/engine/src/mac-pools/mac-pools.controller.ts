import { Permission } from '@kelpie/shared-types';
import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Can, on } from '../auth/access.decorator';
import { ApiErrors } from '../common/http/openapi';
import { Meta, RequestMeta } from '../common/http/request-meta';
import { UuidParam } from '../common/http/uuid-param';
import { UpdateMacPoolDto } from './mac-pool.dto';
import { mapMacPool, MacPoolResponse } from './mac-pool.response';
import { MacPoolsService } from './mac-pools.service';

@ApiTags('datacenters')
@Controller('datacenters/:datacenterId/mac-pool')
export class MacPoolsController {
  constructor(private readonly pools: MacPoolsService) {}

  @Get()
  @Can(Permission.View, on.param('datacenter', 'datacenterId'))
  @ApiOperation({ summary: "The datacenter's MAC pool (new NICs without a MAC draw from it)" })
  @ApiOkResponse({ type: MacPoolResponse })
  @ApiErrors(400, 404)
  async get(@UuidParam('datacenterId') datacenterId: string): Promise<MacPoolResponse> {
    const { pool, used } = await this.pools.get(datacenterId);
    return mapMacPool(pool, used);
  }

  @Put()
  @Can(Permission.NetworkManage, on.param('datacenter', 'datacenterId'))
  @ApiOperation({
    summary: "Replace the pool's ranges (NICs keep their MACs, also those now outside)",
  })
  @ApiOkResponse({ type: MacPoolResponse })
  @ApiErrors(400, 404)
  async update(
    @UuidParam('datacenterId') datacenterId: string,
    @Body() dto: UpdateMacPoolDto,
    @Meta() meta: RequestMeta,
  ): Promise<MacPoolResponse> {
    const { pool, used } = await this.pools.update(datacenterId, dto, meta);
    return mapMacPool(pool, used);
  }
}
