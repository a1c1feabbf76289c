import {
  SCHEDULE_ACTIONS,
  SCHEDULE_RUN_OUTCOMES,
  SCHEDULE_STATES,
  ScheduleAction,
  ScheduleRunOutcome,
  ScheduleState,
} from '@kelpie/shared-types';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, Unique } from 'typeorm';
import { inList } from '../common/entities/columns';

export type ScheduleTargetType = 'vm' | 'host';

/** An operation planned for one time (`runAt`) or on a cron expression, launched as its own task. */
@Entity('schedule')
@Index('ix_schedule_target', ['targetId'])
@Check('ck_schedule_action', inList('action', SCHEDULE_ACTIONS))
@Check('ck_schedule_target_type', inList('target_type', ['vm', 'host']))
@Check('ck_schedule_state', inList('state', SCHEDULE_STATES))
@Check('ck_schedule_when', '("run_at" IS NULL) <> ("cron" IS NULL)')
export class ScheduleEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_schedule' })
  id!: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  name!: string | null;

  @Column({ type: 'varchar', length: 32 })
  action!: ScheduleAction;

  @Column({ type: 'varchar', length: 8 })
  targetType!: ScheduleTargetType;

  @Column('uuid')
  targetId!: string;

  /** The action's own body (migration settings, snapshot prefix), validated when created. */
  @Column({ type: 'jsonb', default: {} })
  params!: Record<string, unknown>;

  @Column({ type: 'timestamptz', nullable: true })
  runAt!: Date | null;

  @Column({ type: 'varchar', length: 128, nullable: true })
  cron!: string | null;

  @Column({ type: 'varchar', length: 64, default: 'UTC' })
  timezone!: string;

  @Column({ type: 'varchar', length: 16, default: 'active' })
  state!: ScheduleState;

  @Column({ type: 'varchar', length: 255 })
  createdBy!: string;

  /** Whose permissions each run is checked against (null: the user is gone, runs are refused). */
  @Column({ type: 'uuid', nullable: true })
  createdByUserId!: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  cancelledAt!: Date | null;
}

/** One due time of a schedule: claimed once (unique per schedule and due time), with what happened. */
@Entity('schedule_run')
@Unique('uq_schedule_run_due', ['scheduleId', 'dueAt'])
@Check('ck_schedule_run_outcome', inList('outcome', SCHEDULE_RUN_OUTCOMES))
export class ScheduleRunEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_schedule_run' })
  id!: string;

  @Column('uuid')
  scheduleId!: string;

  @ManyToOne(() => ScheduleEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'schedule_id', foreignKeyConstraintName: 'fk_schedule_run_schedule' })
  schedule?: ScheduleEntity;

  @Column({ type: 'timestamptz' })
  dueAt!: Date;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  startedAt!: Date;

  @Column({ type: 'varchar', length: 16 })
  outcome!: ScheduleRunOutcome;

  @Column({ type: 'uuid', nullable: true })
  taskId!: string | null;

  @Column({ type: 'varchar', length: 2048, nullable: true })
  reason!: string | null;
}
