import { ObjectRef, Task, TaskStatus, TaskStep, values } from '@kelpie/shared-types';
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { inList, Persisted } from '../common/entities/columns';

@ApiSchema({ name: 'Task' })
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
  @ApiProperty({ format: 'uuid' })
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_task' })
  id!: string;

  @ApiProperty({ example: 'vm.start' })
  @Column({ type: 'varchar', length: 64 })
  type!: string;

  @ApiProperty({ type: Object, nullable: true, description: 'ObjectRef of the object the task acts on.' })
  @Column({ type: 'jsonb', nullable: true })
  target!: ObjectRef | null;

  @Column({ name: 'target_type', type: 'varchar', length: 32, nullable: true, select: false })
  targetType!: string | null;

  @Column({ name: 'target_id', type: 'uuid', nullable: true, select: false })
  targetId!: string | null;

  @ApiProperty({ enum: values(TaskStatus) })
  @Column({ type: 'varchar', length: 16 })
  status!: TaskStatus;

  @ApiProperty({ minimum: 0, maximum: 100 })
  @Column({ type: 'smallint', default: 0 })
  progress!: number;

  @ApiProperty({ type: String, nullable: true })
  @Column({ name: 'progress_message', type: 'text', nullable: true })
  progressMessage!: string | null;

  @ApiProperty({ type: 'array', items: { type: 'object' } })
  @Column({ type: 'jsonb', default: () => "'[]'" })
  steps!: TaskStep[];

  @ApiProperty({ type: Object, nullable: true })
  @Column({ type: 'jsonb', nullable: true })
  result!: Record<string, unknown> | null;

  @ApiProperty({ type: String, nullable: true })
  @Column({ name: 'error_code', type: 'varchar', length: 32, nullable: true })
  errorCode!: Task['errorCode'];

  @ApiProperty({ type: String, nullable: true })
  @Column({ name: 'error_message', type: 'text', nullable: true })
  errorMessage!: string | null;

  @ApiProperty()
  @Column({ name: 'requested_by', type: 'varchar', length: 64 })
  requestedBy!: string;

  @ApiProperty({ type: String, nullable: true })
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

  @ApiProperty({ type: String, format: 'date-time' })
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', select: false })
  updatedAt!: Date;
}
