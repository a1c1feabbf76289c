import { Snapshot, SnapshotType, values } from '@kelpie/shared-types';
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
import { nameCheck } from '../common/entities/inventory-columns';
import { VmEntity } from '../vms/vm.entity';

/** A snapshot tree per VM (parent = the snapshot it was taken on top of). Created by the VM
 * lifecycle feature; this issue only stores and lists them. */
@ApiSchema({ name: 'Snapshot' })
@Entity('snapshot')
@Index('ix_snapshot_vm', ['vmId'])
@Index('ix_snapshot_parent', ['parentId'])
@Index('ix_snapshot_name', ['name'])
@Index('ix_snapshot_created_at', ['createdAt'])
@Check('ck_snapshot_name', nameCheck())
@Check('ck_snapshot_type', inList('type', values(SnapshotType)))
export class SnapshotEntity implements Persisted<Snapshot, 'createdAt'> {
  @ApiProperty({ format: 'uuid' })
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_snapshot' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  @Column('uuid')
  vmId!: string;

  @ApiHideProperty()
  @ManyToOne(() => VmEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'vm_id', foreignKeyConstraintName: 'fk_snapshot_vm' })
  vm?: VmEntity;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  @Column({ type: 'uuid', nullable: true })
  parentId!: string | null;

  @ApiHideProperty()
  // NO ACTION (checked at statement end) so deleting a VM cascades through a whole tree at once.
  @ManyToOne(() => SnapshotEntity, { onDelete: 'NO ACTION', nullable: true })
  @JoinColumn({ name: 'parent_id', foreignKeyConstraintName: 'fk_snapshot_parent' })
  parent?: SnapshotEntity | null;

  @ApiProperty()
  @Column({ type: 'varchar', length: 64 })
  name!: string;

  @ApiProperty()
  @Column({ type: 'varchar', length: 1024, default: '' })
  description!: string;

  @ApiProperty({ enum: values(SnapshotType) })
  @Column({ type: 'varchar', length: 16 })
  type!: SnapshotType;

  @ApiProperty()
  @Column({ type: 'boolean', default: false })
  withMemory!: boolean;

  @ApiProperty({ type: String, format: 'date-time' })
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
