import { Host, HostCapabilities, HostLoad, HostStatus, values } from '@kelpie/shared-types';
import { ApiHideProperty, ApiProperty, ApiSchema } from '@nestjs/swagger';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, Unique } from 'typeorm';
import { inList, Persisted } from '../common/entities/columns';
import { InventoryColumns, nameCheck } from '../common/entities/inventory-columns';
import { ClusterEntity } from '../clusters/cluster.entity';

@ApiSchema({ name: 'Host' })
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
  @ApiProperty({ format: 'uuid' })
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_host' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  @Column('uuid')
  clusterId!: string;

  @ApiHideProperty()
  @ManyToOne(() => ClusterEntity, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'cluster_id', foreignKeyConstraintName: 'fk_host_cluster' })
  cluster?: ClusterEntity;

  @ApiProperty({ example: '192.0.2.10' })
  @Column({ type: 'varchar', length: 255 })
  address!: string;

  @ApiProperty({ example: 'qemu+ssh://root@192.0.2.10/system' })
  @Column({ type: 'varchar', length: 512 })
  libvirtUri!: string;

  @ApiProperty({ enum: values(HostStatus) })
  @Column({ type: 'varchar', length: 32, default: HostStatus.Installing })
  status!: HostStatus;

  @ApiProperty({ type: String, nullable: true })
  @Column({ type: 'text', nullable: true })
  statusReason!: string | null;

  @ApiProperty({
    type: Object,
    nullable: true,
    description: 'As reported by the agent (protocol HostCapabilities).',
  })
  @Column({ type: 'jsonb', nullable: true })
  capabilities!: HostCapabilities | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  @Column({ type: 'timestamptz', nullable: true })
  lastHeartbeatAt!: Date | null;

  @ApiProperty({ type: Object, nullable: true })
  @Column({ type: 'jsonb', nullable: true })
  load!: HostLoad | null;

  @ApiProperty({ type: Number, nullable: true })
  @Column({ type: 'integer', nullable: true })
  agentProtocolVersion!: number | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'SSH port enrollment used (null: registered without SSH).',
  })
  @Column({ type: 'integer', nullable: true })
  sshPort!: number | null;

  @ApiProperty({ type: String, nullable: true })
  @Column({ type: 'varchar', length: 64, nullable: true })
  sshUser!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The pinned SSH host key (`<type> <base64>`): later connections refuse any other key.',
  })
  @Column({ type: 'text', nullable: true })
  sshHostKey!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s',
  })
  @Column({ type: 'varchar', length: 128, nullable: true })
  sshHostKeyFingerprint!: string | null;
}
