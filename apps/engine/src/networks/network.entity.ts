import { ClusterNetwork, LogicalNetwork, NetworkAttachment, values } from '@kelpie/shared-types';
import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  Unique,
} from 'typeorm';
import { inList, Persisted } from '../common/entities/columns';
import { InventoryColumns, nameCheck } from '../common/entities/inventory-columns';
import { ClusterEntity } from '../clusters/cluster.entity';
import { DataCenterEntity } from '../datacenters/datacenter.entity';

export const BRIDGE_PATTERN = /^[A-Za-z0-9_.-]{1,15}$/;

@Entity('logical_network')
@Unique('uq_logical_network_datacenter_name', ['datacenterId', 'name'])
@Unique('uq_logical_network_datacenter_bridge', ['datacenterId', 'bridge'])
@Index('ix_logical_network_name', ['name'])
@Index('ix_logical_network_created_at', ['createdAt'])
@Check('ck_logical_network_name', nameCheck())
@Check('ck_logical_network_bridge', `"bridge" ~ '${BRIDGE_PATTERN.source}'`)
@Check('ck_logical_network_vlan', '"vlan_id" IS NULL OR "vlan_id" BETWEEN 1 AND 4094')
@Check('ck_logical_network_mtu', '"mtu" BETWEEN 68 AND 65535')
export class LogicalNetworkEntity
  extends InventoryColumns
  implements Persisted<LogicalNetwork, 'createdAt' | 'updatedAt'>
{
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_logical_network' })
  id!: string;

  @Column('uuid')
  datacenterId!: string;

  @ManyToOne(() => DataCenterEntity, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'datacenter_id', foreignKeyConstraintName: 'fk_logical_network_datacenter' })
  datacenter?: DataCenterEntity;

  @Column({ type: 'varchar', length: 15 })
  bridge!: string;

  @Column({ type: 'integer', nullable: true })
  vlanId!: number | null;

  @Column({ type: 'integer', default: 1500 })
  mtu!: number;

  @Column({ type: 'boolean', default: true })
  vmNetwork!: boolean;
}

@Entity('cluster_network')
@Index('ix_cluster_network_network', ['networkId'])
@Check('ck_cluster_network_attachment', inList('attachment', values(NetworkAttachment)))
export class ClusterNetworkEntity implements Persisted<ClusterNetwork, 'createdAt'> {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_cluster_network' })
  clusterId!: string;

  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_cluster_network' })
  networkId!: string;

  @ManyToOne(() => ClusterEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'cluster_id', foreignKeyConstraintName: 'fk_cluster_network_cluster' })
  cluster?: ClusterEntity;

  @ManyToOne(() => LogicalNetworkEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'network_id', foreignKeyConstraintName: 'fk_cluster_network_network' })
  network?: LogicalNetworkEntity;

  @Column({ type: 'varchar', length: 16, default: NetworkAttachment.Required })
  attachment!: NetworkAttachment;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
