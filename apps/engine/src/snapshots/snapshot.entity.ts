import { Snapshot, SnapshotType, values } from '@kelpie/shared-types';
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

/** A snapshot tree per VM (parent = the snapshot it was taken on top of). Taken, reverted and
 * deleted by vm-snapshots/ on the host; this folder only stores and lists them. */
@Entity('snapshot')
@Index('ix_snapshot_vm', ['vmId'])
@Index('ix_snapshot_parent', ['parentId'])
@Index('ix_snapshot_name', ['name'])
@Index('ix_snapshot_created_at', ['createdAt'])
@Check('ck_snapshot_name', nameCheck())
@Check('ck_snapshot_type', inList('type', values(SnapshotType)))
export class SnapshotEntity implements Persisted<Snapshot, 'createdAt'> {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_snapshot' })
  id!: string;

  @Column('uuid')
  vmId!: string;

  @ManyToOne(() => VmEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'vm_id', foreignKeyConstraintName: 'fk_snapshot_vm' })
  vm?: VmEntity;

  @Column({ type: 'uuid', nullable: true })
  parentId!: string | null;

  // NO ACTION (checked at statement end) so deleting a VM cascades through a whole tree at once.
  @ManyToOne(() => SnapshotEntity, { onDelete: 'NO ACTION', nullable: true })
  @JoinColumn({ name: 'parent_id', foreignKeyConstraintName: 'fk_snapshot_parent' })
  parent?: SnapshotEntity | null;

  @Column({ type: 'varchar', length: 64 })
  name!: string;

  @Column({ type: 'varchar', length: 1024, default: '' })
  description!: string;

  @Column({ type: 'varchar', length: 16 })
  type!: SnapshotType;

  @Column({ type: 'boolean', default: false })
  withMemory!: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
