import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { TaskEntity } from './task.entity';

/**
 * An object (VM, disk) held exclusively by one active task. The primary key on the object makes the
 * database refuse a second holder; the row is written in the task's own INSERT transaction and
 * deleted in the transaction that makes the task final (docs/adr/0007-task-locks.md).
 */
@Entity('task_lock')
@Index('ix_task_lock_task', ['taskId'])
export class TaskLockEntity {
  @PrimaryColumn('uuid', { name: 'object_id', primaryKeyConstraintName: 'pk_task_lock' })
  objectId!: string;

  @Column({ name: 'object_type', type: 'varchar', length: 32 })
  objectType!: string;

  @Column({ name: 'task_id', type: 'uuid' })
  taskId!: string;

  @ManyToOne(() => TaskEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'task_id', foreignKeyConstraintName: 'fk_task_lock_task' })
  task?: TaskEntity;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
