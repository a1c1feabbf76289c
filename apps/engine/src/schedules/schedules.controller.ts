import { Body, Controller, Delete, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { SignedIn } from '../auth/access.decorator';
import { ApiErrors } from '../common/http/openapi';
import { UuidParam } from '../common/http/uuid-param';
import { principalOf } from '../common/identity/principal';
import { ScheduleDetailResponse, ScheduleResponse } from './schedule.response';
import { CreateScheduleDto } from './schedules.dto';
import { SchedulesService } from './schedules.service';

const PERMISSION_NOTE =
  'The permission is the action’s own on its object (vm.migrate, host.manage, vm.power, vm.snapshot), ' +
  'checked here and again at every run against the creator’s grants at that time.';

/** The permission depends on the body's action, so the routes are @SignedIn and the service checks
 * the action's own permission on its object (a read-only token is refused by the guard). */
@ApiTags('schedules')
@Controller('schedules')
export class SchedulesController {
  constructor(private readonly schedules: SchedulesService) {}

  @Post()
  @SignedIn()
  @ApiOperation({
    summary: 'Schedule a migration, maintenance, power action or snapshot',
    description:
      'At `runAt` (once) or on `cron` in `timezone`. Each run launches the action as its route would ' +
      '(all its checks apply then); a refusal is recorded as the run’s outcome. ' +
      PERMISSION_NOTE,
  })
  @ApiCreatedResponse({ type: ScheduleResponse })
  @ApiErrors(400, 403, 404)
  create(@Body() dto: CreateScheduleDto, @Req() req: Request): Promise<ScheduleResponse> {
    return this.schedules.create(dto, principalOf(req)!);
  }

  @Get()
  @SignedIn()
  @ApiOperation({ summary: 'Schedules of objects the caller may see; active ones first by next run' })
  @ApiOkResponse({ type: ScheduleResponse, isArray: true })
  list(@Req() req: Request): Promise<ScheduleResponse[]> {
    return this.schedules.list(principalOf(req)!);
  }

  @Get(':id')
  @SignedIn()
  @ApiOperation({ summary: 'A schedule with its runs (due time, task, outcome), newest first' })
  @ApiOkResponse({ type: ScheduleDetailResponse })
  @ApiErrors(400, 404)
  get(@UuidParam() id: string, @Req() req: Request): Promise<ScheduleDetailResponse> {
    return this.schedules.get(id, principalOf(req)!);
  }

  @Delete(':id')
  @HttpCode(200)
  @SignedIn()
  @ApiOperation({
    summary: 'Cancel: it never runs again (a run under way keeps its task)',
    description: PERMISSION_NOTE,
  })
  @ApiOkResponse({ type: ScheduleResponse })
  @ApiErrors(400, 403, 404)
  cancel(@UuidParam() id: string, @Req() req: Request): Promise<ScheduleResponse> {
    return this.schedules.cancel(id, principalOf(req)!);
  }
}
