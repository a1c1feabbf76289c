import type { HostNetworkState } from '@kelpie/shared-types';
import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { HostEntity } from '../hosts/host.entity';

/** What a host's agent last reported about its NICs, bridges and applied networks (one row a host). */
@Entity('host_network_state')
export class HostNetworkStateEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_host_network_state' })
  hostId!: string;

  @OneToOne(() => HostEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'host_id', foreignKeyConstraintName: 'fk_host_network_state_host' })
  host?: HostEntity;

  @Column({ type: 'jsonb' })
  state!: HostNetworkState;

  @Column({ type: 'timestamptz' })
  reportedAt!: Date;
}
