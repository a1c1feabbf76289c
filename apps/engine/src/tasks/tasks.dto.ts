import { TaskStatus, values } from '@kelpie/shared-types';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { ActivityListQuery } from '../common/list/activity-query';

export const TASK_WAIT_MAX_MS = 60_000;

export class TaskListQuery extends ActivityListQuery {
  @ApiPropertyOptional({ enum: values(TaskStatus) })
  @IsOptional()
  @IsIn(values(TaskStatus))
  status?: TaskStatus;
}

export class TaskGetQuery {
  @ApiPropertyOptional({
    minimum: 0,
    maximum: TASK_WAIT_MAX_MS,
    description: 'Wait up to this many milliseconds for the task to reach a final status.',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(TASK_WAIT_MAX_MS)
  wait?: number;
}
