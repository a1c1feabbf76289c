import { Permission } from '@kelpie/shared-types';
import { Body, Controller, Delete, Get, HttpCode, Post, Put } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Can, on } from '../auth/access.decorator';
import { ApiErrors } from '../common/http/openapi';
import { Meta, RequestMeta } from '../common/http/request-meta';
import { UuidParam } from '../common/http/uuid-param';
import {
  PowerManagementTestResult,
  PowerManagementView,
  PutPowerManagementDto,
} from './power-management.dto';
import { PowerManagementService } from './power-management.service';

@ApiTags('hosts')
@Controller('hosts/:id/power-management')
export class PowerManagementController {
  constructor(private readonly power: PowerManagementService) {}

  @Get()
  @Can(Permission.HostManage, on.param('host'))
  @ApiOperation({ summary: "A host's power management (the password is never returned: `passwordSet`)" })
  @ApiOkResponse({ type: PowerManagementView })
  @ApiErrors(400, 404)
  get(@UuidParam() id: string): Promise<PowerManagementView> {
    return this.power.get(id);
  }

  @Put()
  @Can(Permission.HostManage, on.param('host'))
  @ApiOperation({
    summary: "Set a host's power management (its BMC)",
    description:
      'With power management a non-responsive host can be fenced (powered off through its BMC, then on) and ' +
      'its highly available VMs restarted elsewhere without an admin. The password is stored encrypted; ' +
      'omit it to keep the stored one. Test the settings with `POST …/power-management/test`.',
  })
  @ApiOkResponse({ type: PowerManagementView })
  @ApiErrors(400, 404)
  put(
    @UuidParam() id: string,
    @Body() dto: PutPowerManagementDto,
    @Meta() meta: RequestMeta,
  ): Promise<PowerManagementView> {
    return this.power.put(id, dto, meta);
  }

  @Delete()
  @Can(Permission.HostManage, on.param('host'))
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiErrors(400, 404)
  async remove(@UuidParam() id: string, @Meta() meta: RequestMeta): Promise<void> {
    await this.power.remove(id, meta);
  }

  @Post('test')
  @Can(Permission.HostManage, on.param('host'))
  @HttpCode(200)
  @ApiOperation({
    summary: 'Test power management: ask the BMC for the power status',
    description:
      "Runs the fence agent's status query (at most a minute). 422 when the BMC cannot be used, naming the " +
      'setting to check (password refused, unknown user, no answer at the address and port).',
  })
  @ApiOkResponse({ type: PowerManagementTestResult })
  @ApiErrors(400, 404, 422)
  test(@UuidParam() id: string): Promise<PowerManagementTestResult> {
    return this.power.test(id);
  }
}
