import { AffinityGroup, AffinityPolarity, values } from '@kelpie/shared-types';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, Unique } from 'typeorm';
import { ClusterEntity } from '../clusters/cluster.entity';
import { inList } from '../common/entities/columns';
import { InventoryColumns, nameCheck } from '../common/entities/inventory-columns';
import { HostEntity } from '../hosts/host.entity';
import { VmEntity } from '../vms/vm.entity';

@Entity('affinity_group')
@Unique('uq_affinity_group_cluster_name', ['clusterId', 'name'])
@Check('ck_affinity_group_name', nameCheck())
@Check('ck_affinity_group_polarity', inList('polarity', values(AffinityPolarity)))
export class AffinityGroupEntity
  extends InventoryColumns
  implements Omit<AffinityGroup, 'vmIds' | 'hostIds' | 'createdAt' | 'updatedAt'>
{
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_affinity_group' })
  id!: string;

  @Column('uuid')
  clusterId!: string;

  @ManyToOne(() => ClusterEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'cluster_id', foreignKeyConstraintName: 'fk_affinity_group_cluster' })
  cluster?: ClusterEntity;

  @Column({ type: 'varchar', length: 16 })
  polarity!: AffinityPolarity;

  @Column('boolean')
  enforcing!: boolean;
}

/** One VM's membership of one group (removed with the VM or the group). */
@Entity('affinity_group_vm')
@Index('ix_affinity_group_vm_vm', ['vmId'])
export class AffinityGroupVmEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_affinity_group_vm' })
  groupId!: string;

  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_affinity_group_vm' })
  vmId!: string;

  @ManyToOne(() => AffinityGroupEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'group_id', foreignKeyConstraintName: 'fk_affinity_group_vm_group' })
  group?: AffinityGroupEntity;

  @ManyToOne(() => VmEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'vm_id', foreignKeyConstraintName: 'fk_affinity_group_vm_vm' })
  vm?: VmEntity;
}

/** One host of one group: the group's VMs are pinned to it (positive) or kept off it (negative). */
@Entity('affinity_group_host')
@Index('ix_affinity_group_host_host', ['hostId'])
export class AffinityGroupHostEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_affinity_group_host' })
  groupId!: string;

  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_affinity_group_host' })
  hostId!: string;

  @ManyToOne(() => AffinityGroupEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'group_id', foreignKeyConstraintName: 'fk_affinity_group_host_group' })
  group?: AffinityGroupEntity;

  @ManyToOne(() => HostEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'host_id', foreignKeyConstraintName: 'fk_affinity_group_host_host' })
  host?: HostEntity;
}
