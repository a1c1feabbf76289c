import { Host, HostCapabilities, HostLoad, HostStatus, values } from '@kelpie/shared-types';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, Unique } from 'typeorm';
import { inList, Persisted } from '../common/entities/columns';
import { InventoryColumns, nameCheck } from '../common/entities/inventory-columns';
import { ClusterEntity } from '../clusters/cluster.entity';

@Entity('host')
@Unique('uq_host_name', ['name'])
@Unique('uq_host_address', ['address'])
@Index('ix_host_cluster', ['clusterId'])
@Index('ix_host_status', ['status'])
@Index('ix_host_last_heartbeat_at', ['lastHeartbeatAt'])
@Index('ix_host_created_at', ['createdAt'])
@Check('ck_host_name', nameCheck())
@Check('ck_host_status', inList('status', values(HostStatus)))
export class HostEntity
  extends InventoryColumns
  implements Persisted<Host, 'createdAt' | 'updatedAt' | 'lastHeartbeatAt'>
{
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_host' })
  id!: string;

  @Column('uuid')
  clusterId!: string;

  @ManyToOne(() => ClusterEntity, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'cluster_id', foreignKeyConstraintName: 'fk_host_cluster' })
  cluster?: ClusterEntity;

  @Column({ type: 'varchar', length: 255 })
  address!: string;

  @Column({ type: 'varchar', length: 512 })
  libvirtUri!: string;

  @Column({ type: 'varchar', length: 32, default: HostStatus.Installing })
  status!: HostStatus;

  @Column({ type: 'text', nullable: true })
  statusReason!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  capabilities!: HostCapabilities | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastHeartbeatAt!: Date | null;

  @Column({ type: 'jsonb', nullable: true })
  load!: HostLoad | null;

  @Column({ type: 'integer', nullable: true })
  agentProtocolVersion!: number | null;

  @Column({ type: 'integer', nullable: true })
  sshPort!: number | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  sshUser!: string | null;

  @Column({ type: 'text', nullable: true })
  sshHostKey!: string | null;

  @Column({ type: 'varchar', length: 128, nullable: true })
  sshHostKeyFingerprint!: string | null;
}
