import {
  EffectiveMigrationPolicy,
  MigrationProgress,
  MigrationStatus,
  MigrationTaskResult,
  VmMigration,
  values,
} from '@kelpie/shared-types';
import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
} from 'typeorm';
import { inList, Persisted } from '../common/entities/columns';
import { VmEntity } from '../vms/vm.entity';

/** One live migration of one VM; the id is its `vm.migrate` task's id. While `running` (and its task
 * is active) it decides who owns the VM (see vm-ownership/migration-ownership.ts). Host ids are not foreign keys:
 * the record outlives hosts, like tasks do. */
@Entity('vm_migration')
@Index('ix_vm_migration_vm', ['vmId'])
@Index('ix_vm_migration_status', ['status'])
@Index('ix_vm_migration_source', ['sourceHostId'])
@Index('ix_vm_migration_target', ['targetHostId'])
@Index('ix_vm_migration_created_at', ['createdAt'])
@Check('ck_vm_migration_status', inList('status', values(MigrationStatus)))
@Check('ck_vm_migration_hosts', '"source_host_id" <> "target_host_id"')
export class VmMigrationEntity implements Persisted<
  VmMigration,
  'createdAt' | 'finishedAt' | 'targetRunningAt' | 'sourceGoneAt'
> {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_vm_migration' })
  id!: string;

  @Column('uuid')
  vmId!: string;

  @ManyToOne(() => VmEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'vm_id', foreignKeyConstraintName: 'fk_vm_migration_vm' })
  vm?: VmEntity;

  @Column('uuid')
  sourceHostId!: string;

  @Column('uuid')
  targetHostId!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: MigrationStatus;

  @Column({ type: 'jsonb' })
  policy!: EffectiveMigrationPolicy;

  @Column({ type: 'text' })
  targetReason!: string;

  @Column({ type: 'jsonb', nullable: true })
  progress!: MigrationProgress | null;

  @Column({ type: 'integer', default: 0 })
  progressSamples!: number;

  @Column({ type: 'jsonb', nullable: true })
  result!: MigrationTaskResult | null;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  targetRunningAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  sourceGoneAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;
}
