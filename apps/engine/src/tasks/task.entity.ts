import { ObjectRef, Task, TaskStatus, TaskStep, values } from '@kelpie/shared-types';
import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { inList, Persisted } from '../common/entities/columns';

@Entity('task')
@Index('ix_task_status', ['status'])
@Index('ix_task_created_at', ['createdAt'])
@Index('ix_task_finished_at', ['finishedAt'])
@Index('ix_task_type', ['type'])
@Index('ix_task_target', ['targetType', 'targetId'])
@Index('ix_task_correlation', ['correlationId'])
@Check('ck_task_status', inList('status', values(TaskStatus)))
@Check('ck_task_progress', '"progress" BETWEEN 0 AND 100')
export class TaskEntity implements Persisted<Task, 'createdAt' | 'startedAt' | 'finishedAt'> {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_task' })
  id!: string;

  @Column({ type: 'varchar', length: 64 })
  type!: string;

  @Column({ type: 'jsonb', nullable: true })
  target!: ObjectRef | null;

  @Column({ name: 'target_type', type: 'varchar', length: 32, nullable: true, select: false })
  targetType!: string | null;

  @Column({ name: 'target_id', type: 'uuid', nullable: true, select: false })
  targetId!: string | null;

  @Column({ type: 'varchar', length: 16 })
  status!: TaskStatus;

  @Column({ type: 'smallint', default: 0 })
  progress!: number;

  @Column({ name: 'progress_message', type: 'text', nullable: true })
  progressMessage!: string | null;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  steps!: TaskStep[];

  @Column({ type: 'jsonb', nullable: true })
  result!: Record<string, unknown> | null;

  @Column({ name: 'error_code', type: 'varchar', length: 32, nullable: true })
  errorCode!: Task['errorCode'];

  @Column({ name: 'error_message', type: 'text', nullable: true })
  errorMessage!: string | null;

  @Column({ name: 'requested_by', type: 'varchar', length: 64 })
  requestedBy!: string;

  @Column({ name: 'correlation_id', type: 'varchar', length: 64, nullable: true })
  correlationId!: string | null;

  /** Engine process running the task; a task whose engine is gone is adopted by another. Not in the API. */
  @Column({ name: 'owner_engine', type: 'uuid', nullable: true, select: false })
  ownerEngine!: string | null;

  /** Bumped by every claim: with ownerEngine, the fencing token the runner's writes are conditional
   * on (an engine taken for dead and adopted cannot write over its adopter). Not in the API. */
  @Column({ name: 'owner_generation', type: 'integer', default: 0, select: false })
  ownerGeneration!: number;

  /** What an engine adopting the task needs to settle it (phase, hosts, volumes, job ids), written
   * at the task's key steps; see TaskCheckpoint. Not in the API. */
  @Column({ type: 'jsonb', nullable: true, select: false })
  checkpoint!: Record<string, unknown> | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', select: false })
  updatedAt!: Date;
}
