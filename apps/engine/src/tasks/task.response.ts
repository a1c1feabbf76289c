import { ErrorCode, ObjectRef, Task, TaskStatus, TaskStep, values } from '@kelpie/shared-types';
import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { isoOrNull } from '../common/http/iso-or-null';
import { ObjectRefResponse } from '../common/http/object-ref.response';
import type { TaskEntity } from './task.entity';

@ApiSchema({ name: 'TaskStep' })
class TaskStepResponse implements TaskStep {
  @ApiProperty()
  name!: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'The object the step is about (an evacuation step: its VM).',
  })
  objectId?: string;

  @ApiProperty({ enum: ['pending', 'running', 'done', 'failed', 'skipped'] })
  status!: TaskStep['status'];

  @ApiPropertyOptional()
  message?: string;
}

/** A task as the API answers it: never its owner, fencing generation or checkpoint (what adoption needs). */
@ApiSchema({ name: 'Task' })
export class TaskResponse implements Task {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'vm.start' })
  type!: string;

  @ApiProperty({ type: ObjectRefResponse, nullable: true, description: 'The object the task acts on.' })
  target!: ObjectRef | null;

  @ApiProperty({ enum: values(TaskStatus) })
  status!: TaskStatus;

  @ApiProperty({ minimum: 0, maximum: 100 })
  progress!: number;

  @ApiProperty({ type: String, nullable: true })
  progressMessage!: string | null;

  @ApiProperty({ type: [TaskStepResponse] })
  steps!: TaskStep[];

  @ApiProperty({ type: Object, nullable: true })
  result!: Record<string, unknown> | null;

  @ApiProperty({ type: String, nullable: true })
  errorCode!: ErrorCode | 'interrupted' | 'cancelled' | null;

  @ApiProperty({ type: String, nullable: true })
  errorMessage!: string | null;

  @ApiProperty()
  requestedBy!: string;

  @ApiProperty({ type: String, nullable: true })
  correlationId!: string | null;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  startedAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  finishedAt!: string | null;
}

export function mapTask(t: TaskEntity): TaskResponse {
  return {
    id: t.id,
    type: t.type,
    target: t.target,
    status: t.status,
    progress: t.progress,
    progressMessage: t.progressMessage,
    steps: t.steps,
    result: t.result,
    errorCode: t.errorCode,
    errorMessage: t.errorMessage,
    requestedBy: t.requestedBy,
    correlationId: t.correlationId,
    createdAt: t.createdAt.toISOString(),
    startedAt: isoOrNull(t.startedAt),
    finishedAt: isoOrNull(t.finishedAt),
  };
}
