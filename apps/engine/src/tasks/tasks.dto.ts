import { ObjectType, TaskStatus, values } from '@kelpie/shared-types';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, Min } from 'class-validator';
import { ListQueryDto } from '../common/list/list-query';

export const TASK_WAIT_MAX_MS = 60_000;

export class TaskListQuery extends ListQueryDto {
  @ApiPropertyOptional({ enum: values(TaskStatus) })
  @IsOptional()
  @IsIn(values(TaskStatus))
  status?: TaskStatus;

  @ApiPropertyOptional({ example: 'vm.start' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9_.]{1,64}$/)
  type?: string;

  @ApiPropertyOptional({ enum: values(ObjectType), description: 'Type of the target object.' })
  @IsOptional()
  @IsIn(values(ObjectType))
  objectType?: ObjectType;

  @ApiPropertyOptional({ format: 'uuid', description: 'Id of the target object.' })
  @IsOptional()
  @IsUUID('all')
  objectId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_.@:-]{1,64}$/)
  correlationId?: string;
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
