import { Nic, NicModel, values, type VmNicSpec } from '@kelpie/shared-types';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, Unique } from 'typeorm';
import { inList, Persisted } from '../common/entities/columns';
import { InventoryColumns, nameCheck } from '../common/entities/inventory-columns';
import { LogicalNetworkEntity } from '../networks/network.entity';
import { VnicProfileEntity } from '../networks/vnic-profile.entity';
import { VmEntity } from '../vms/vm.entity';

export const MAC_PATTERN = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;

@Entity('nic')
@Unique('uq_nic_mac', ['mac'])
@Unique('uq_nic_vm_name', ['vmId', 'name'])
@Index('ix_nic_network', ['networkId'])
@Index('ix_nic_profile', ['profileId'])
@Index('ix_nic_name', ['name'])
@Index('ix_nic_created_at', ['createdAt'])
@Check('ck_nic_name', nameCheck())
@Check('ck_nic_model', inList('model', values(NicModel)))
@Check('ck_nic_mac', `"mac" ~ '${MAC_PATTERN.source}'`)
export class NicEntity extends InventoryColumns implements Persisted<Nic, 'createdAt' | 'updatedAt'> {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_nic' })
  id!: string;

  @Column('uuid')
  vmId!: string;

  @ManyToOne(() => VmEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'vm_id', foreignKeyConstraintName: 'fk_nic_vm' })
  vm?: VmEntity;

  @Column('uuid')
  networkId!: string;

  @ManyToOne(() => LogicalNetworkEntity, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'network_id', foreignKeyConstraintName: 'fk_nic_network' })
  network?: LogicalNetworkEntity;

  /** A profile of `networkId` (the service keeps the two together). */
  @Column('uuid')
  profileId!: string;

  @ManyToOne(() => VnicProfileEntity, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'profile_id', foreignKeyConstraintName: 'fk_nic_profile' })
  profile?: VnicProfileEntity;

  @Column({ type: 'varchar', length: 17 })
  mac!: string;

  @Column({ type: 'boolean', default: true })
  linkUp!: boolean;

  @Column({ type: 'varchar', length: 16, default: NicModel.Virtio })
  model!: NicModel;

  /** The spec the host's definition of this NIC was last made from; null: not known. A start sends
   * the NIC again only when its records give another spec. Internal: read only where it is compared
   * (`NicRepository`, `NicsService.activeOnNetwork`), never answered. */
  @Column({ type: 'jsonb', nullable: true, default: null, select: false })
  definedSpec!: VmNicSpec | null;
}
