import { NIC_BURST_MAX_KIB, NIC_RATE_MAX_KIBPS } from '@kelpie/shared-types';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, Unique } from 'typeorm';
import { InventoryColumns, nameCheck } from '../common/entities/inventory-columns';
import { LogicalNetworkEntity } from './network.entity';

const qosCheck = (dir: 'inbound' | 'outbound') =>
  `("${dir}_average_kibps" IS NULL AND "${dir}_peak_kibps" IS NULL AND "${dir}_burst_kib" IS NULL) ` +
  `OR ("${dir}_average_kibps" BETWEEN 1 AND ${NIC_RATE_MAX_KIBPS} ` +
  `AND ("${dir}_peak_kibps" IS NULL OR "${dir}_peak_kibps" BETWEEN "${dir}_average_kibps" AND ${NIC_RATE_MAX_KIBPS}) ` +
  `AND ("${dir}_burst_kib" IS NULL OR "${dir}_burst_kib" BETWEEN 1 AND ${NIC_BURST_MAX_KIB}))`;

/** How VM NICs attach to a network; one default profile per network (no QoS). */
@Entity('vnic_profile')
@Unique('uq_vnic_profile_network_name', ['networkId', 'name'])
@Index('ux_vnic_profile_default', ['networkId'], { unique: true, where: '"is_default"' })
@Check('ck_vnic_profile_name', nameCheck())
@Check('ck_vnic_profile_inbound', qosCheck('inbound'))
@Check('ck_vnic_profile_outbound', qosCheck('outbound'))
export class VnicProfileEntity extends InventoryColumns {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_vnic_profile' })
  id!: string;

  @Column('uuid')
  networkId!: string;

  @ManyToOne(() => LogicalNetworkEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'network_id', foreignKeyConstraintName: 'fk_vnic_profile_network' })
  network?: LogicalNetworkEntity;

  @Column({ type: 'boolean', default: false })
  isDefault!: boolean;

  @Column({ type: 'integer', nullable: true })
  inboundAverageKibps!: number | null;

  @Column({ type: 'integer', nullable: true })
  inboundPeakKibps!: number | null;

  @Column({ type: 'integer', nullable: true })
  inboundBurstKib!: number | null;

  @Column({ type: 'integer', nullable: true })
  outboundAverageKibps!: number | null;

  @Column({ type: 'integer', nullable: true })
  outboundPeakKibps!: number | null;

  @Column({ type: 'integer', nullable: true })
  outboundBurstKib!: number | null;

  /** Every frame of the network is copied to the VM NICs using this profile (Open vSwitch networks). */
  @Column({ type: 'boolean', default: false })
  portMirroring!: boolean;
}
