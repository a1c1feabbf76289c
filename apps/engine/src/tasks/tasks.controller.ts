import { Permission } from '@kelpie/shared-types';
import { Can, CanList, on } from '../auth/access.decorator';
import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, ApiPage } from '../common/http/openapi';
import { Meta, RequestMeta } from '../common/http/request-meta';
import { UuidParam } from '../common/http/uuid-param';
import { TaskResponse } from './task.response';
import { TaskGetQuery, TaskListQuery } from './tasks.dto';
import { TasksService } from './tasks.service';

@ApiTags('tasks')
@Controller('tasks')
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  @Get()
  @CanList('task')
  @ApiOperation({ summary: 'List tasks (newest first by default)' })
  @ApiPage(TaskResponse)
  @ApiErrors(400)
  list(@Query() query: TaskListQuery) {
    return this.tasks.list(query);
  }

  @Get(':id')
  @Can(Permission.View, on.param('task'))
  @ApiOperation({
    summary: 'Get a task',
    description: 'With `wait`, answers as soon as the task is final or after `wait` ms (at most 60000).',
  })
  @ApiOkResponse({ type: TaskResponse })
  @ApiErrors(400, 404)
  get(@UuidParam() id: string, @Query() query: TaskGetQuery) {
    return query.wait ? this.tasks.wait(id, query.wait) : this.tasks.get(id);
  }

  @Post(':id/cancel')
  @Can(Permission.VmPower, on.param('task'))
  @HttpCode(202)
  @ApiOperation({
    summary: 'Cancel a running task',
    description:
      'Only for cancellable task types (e.g. `vm.migrate`): asks the work to stop; the task becomes ' +
      '`cancelled` once it really stopped (poll it or wait with `?wait=`). 409 when final or not cancellable.',
  })
  @ApiOkResponse({ type: TaskResponse })
  @ApiErrors(400, 404, 409)
  cancel(@UuidParam() id: string, @Meta() meta: RequestMeta) {
    return this.tasks.requestCancel(id, meta.actor);
  }
}
