import {
  SCHEDULE_ACTIONS,
  SCHEDULE_RUN_OUTCOMES,
  SCHEDULE_STATES,
  Schedule,
  ScheduleAction,
  ScheduleDetail,
  ScheduleRun,
  ScheduleRunOutcome,
  ScheduleState,
} from '@kelpie/shared-types';
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { nextRun } from './cron';
import type { ScheduleEntity, ScheduleRunEntity } from './schedule.entity';

class ScheduleTarget {
  @ApiProperty({ enum: ['vm', 'host'] })
  type!: 'vm' | 'host';

  @ApiProperty({ format: 'uuid' })
  id!: string;
}

@ApiSchema({ name: 'ScheduleRun' })
export class ScheduleRunResponse implements ScheduleRun {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'date-time', description: 'When the run was due.' })
  dueAt!: string;

  @ApiProperty({ format: 'date-time' })
  startedAt!: string;

  @ApiProperty({ enum: SCHEDULE_RUN_OUTCOMES })
  outcome!: ScheduleRunOutcome;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'GET /tasks/{taskId}' })
  taskId!: string | null;

  @ApiProperty({ type: String, nullable: true, description: "The task's status now." })
  taskStatus!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Why the action was refused.' })
  reason!: string | null;
}

@ApiSchema({ name: 'Schedule' })
export class ScheduleResponse implements Schedule {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ type: String, nullable: true })
  name!: string | null;

  @ApiProperty({ enum: SCHEDULE_ACTIONS })
  action!: ScheduleAction;

  @ApiProperty({ type: ScheduleTarget })
  target!: ScheduleTarget;

  @ApiProperty({ type: 'object', additionalProperties: true })
  params!: Record<string, unknown>;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  runAt!: string | null;

  @ApiProperty({ type: String, nullable: true })
  cron!: string | null;

  @ApiProperty()
  timezone!: string;

  @ApiProperty({ enum: SCHEDULE_STATES })
  state!: ScheduleState;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  nextRunAt!: string | null;

  @ApiProperty()
  createdBy!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  cancelledAt!: string | null;
}

@ApiSchema({ name: 'ScheduleDetail' })
export class ScheduleDetailResponse extends ScheduleResponse implements ScheduleDetail {
  @ApiProperty({ type: ScheduleRunResponse, isArray: true, description: 'Newest first.' })
  runs!: ScheduleRunResponse[];
}

/** When it runs next as seen `now`: a one-time schedule at its time, a recurring one by its cron. */
export function nextRunOf(s: ScheduleEntity, now: Date): Date | null {
  if (s.state !== 'active') return null;
  if (s.runAt) return s.runAt;
  return s.cron ? nextRun(s.cron, s.timezone, now) : null;
}

export function mapSchedule(s: ScheduleEntity, now = new Date()): ScheduleResponse {
  return {
    id: s.id,
    name: s.name,
    action: s.action,
    target: { type: s.targetType, id: s.targetId },
    params: s.params,
    runAt: s.runAt?.toISOString() ?? null,
    cron: s.cron,
    timezone: s.timezone,
    state: s.state,
    nextRunAt: nextRunOf(s, now)?.toISOString() ?? null,
    createdBy: s.createdBy,
    createdAt: s.createdAt.toISOString(),
    cancelledAt: s.cancelledAt?.toISOString() ?? null,
  };
}

export function mapScheduleRun(r: ScheduleRunEntity, taskStatus: string | null): ScheduleRunResponse {
  return {
    id: r.id,
    dueAt: r.dueAt.toISOString(),
    startedAt: r.startedAt.toISOString(),
    outcome: r.outcome,
    taskId: r.taskId,
    taskStatus,
    reason: r.reason,
  };
}

export function mapScheduleDetail(
  s: ScheduleEntity,
  runs: ScheduleRunEntity[],
  taskStatus: Map<string, string>,
): ScheduleDetailResponse {
  return {
    ...mapSchedule(s),
    runs: runs.map((r) => mapScheduleRun(r, r.taskId ? (taskStatus.get(r.taskId) ?? null) : null)),
  };
}
