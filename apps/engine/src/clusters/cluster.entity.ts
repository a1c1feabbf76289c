import { Cluster, MigrationPolicy, SchedulingPolicy, values } from '@kelpie/shared-types';
import { ApiHideProperty, ApiProperty, ApiSchema } from '@nestjs/swagger';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, Unique } from 'typeorm';
import { inList, Persisted } from '../common/entities/columns';
import { InventoryColumns, nameCheck } from '../common/entities/inventory-columns';
import { DataCenterEntity } from '../datacenters/datacenter.entity';
import { MigrationPolicyDoc } from './cluster.dto';

@ApiSchema({ name: 'Cluster' })
@Entity('cluster')
@Unique('uq_cluster_datacenter_name', ['datacenterId', 'name'])
@Index('ix_cluster_name', ['name'])
@Index('ix_cluster_created_at', ['createdAt'])
@Check('ck_cluster_name', nameCheck())
@Check('ck_cluster_scheduling_policy', inList('scheduling_policy', values(SchedulingPolicy)))
export class ClusterEntity extends InventoryColumns implements Persisted<Cluster, 'createdAt' | 'updatedAt'> {
  @ApiProperty({ format: 'uuid' })
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_cluster' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  @Column('uuid')
  datacenterId!: string;

  @ApiHideProperty()
  @ManyToOne(() => DataCenterEntity, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'datacenter_id', foreignKeyConstraintName: 'fk_cluster_datacenter' })
  datacenter?: DataCenterEntity;

  @ApiProperty({ type: String, nullable: true, example: 'Skylake-Client-IBRS' })
  @Column({ type: 'varchar', length: 64, nullable: true })
  cpuModel!: string | null;

  @ApiProperty({ example: '1' })
  @Column({ type: 'varchar', length: 16, default: '1' })
  compatibilityLevel!: string;

  @ApiProperty({ enum: values(SchedulingPolicy) })
  @Column({ type: 'varchar', length: 32, default: SchedulingPolicy.EvenlyDistributed })
  schedulingPolicy!: SchedulingPolicy;

  @ApiProperty({ type: MigrationPolicyDoc })
  @Column({ type: 'jsonb' })
  migrationPolicy!: MigrationPolicy;
}
