import {
  EffectiveMigrationPolicy,
  MigrationProgress,
  MigrationStatus,
  MigrationTaskResult,
  VmMigration,
  values,
} from '@kelpie/shared-types';
import { ApiHideProperty, ApiProperty, ApiSchema } from '@nestjs/swagger';
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
@ApiSchema({ name: 'VmMigration' })
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
  @ApiProperty({ format: 'uuid', description: 'Also the id of the vm.migrate task.' })
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_vm_migration' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  @Column('uuid')
  vmId!: string;

  @ApiHideProperty()
  @ManyToOne(() => VmEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'vm_id', foreignKeyConstraintName: 'fk_vm_migration_vm' })
  vm?: VmEntity;

  @ApiProperty({ format: 'uuid' })
  @Column('uuid')
  sourceHostId!: string;

  @ApiProperty({ format: 'uuid' })
  @Column('uuid')
  targetHostId!: string;

  @ApiProperty({ enum: values(MigrationStatus) })
  @Column({ type: 'varchar', length: 16 })
  status!: MigrationStatus;

  @ApiProperty({ type: Object })
  @Column({ type: 'jsonb' })
  policy!: EffectiveMigrationPolicy;

  @ApiProperty()
  @Column({ type: 'text' })
  targetReason!: string;

  @ApiProperty({ type: Object, nullable: true, description: 'Latest domjobinfo sample of the source.' })
  @Column({ type: 'jsonb', nullable: true })
  progress!: MigrationProgress | null;

  @ApiProperty()
  @Column({ type: 'integer', default: 0 })
  progressSamples!: number;

  @ApiProperty({ type: Object, nullable: true })
  @Column({ type: 'jsonb', nullable: true })
  result!: MigrationTaskResult | null;

  @ApiProperty({ type: String, nullable: true })
  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  @Column({ type: 'timestamptz', nullable: true })
  targetRunningAt!: Date | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  @Column({ type: 'timestamptz', nullable: true })
  sourceGoneAt!: Date | null;

  @ApiProperty({ type: String, format: 'date-time' })
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  @Column({ type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;
}
