import { POWER_MANAGEMENT_TYPES, type PowerManagementType } from '@kelpie/shared-types';
import { Check, Column, Entity, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { inList } from '../common/entities/columns';
import { HostEntity } from '../hosts/host.entity';

/** How the engine reaches a host's BMC. The password is sealed with the engine's secret key
 * (SecretBox, bound to the host id): the database never holds it in clear. */
@Entity('host_power_management')
@Check('ck_host_power_management_type', inList('type', POWER_MANAGEMENT_TYPES))
@Check('ck_host_power_management_port', '"port" BETWEEN 1 AND 65535')
export class HostPowerManagementEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_host_power_management' })
  hostId!: string;

  @OneToOne(() => HostEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'host_id', foreignKeyConstraintName: 'fk_host_power_management_host' })
  host?: HostEntity;

  @Column({ type: 'varchar', length: 32 })
  type!: PowerManagementType;

  @Column({ type: 'varchar', length: 255 })
  address!: string;

  @Column({ type: 'int' })
  port!: number;

  @Column({ type: 'varchar', length: 64 })
  username!: string;

  @Column({ type: 'text' })
  passwordSealed!: string;

  /** IPMI 2.0 (RMCP+, `-I lanplus`): authenticated and encrypted; IPMI 1.5 only for old BMCs. */
  @Column({ type: 'boolean', default: true })
  lanplus!: boolean;

  /** IPMI 2.0 cipher suite; null lets ipmitool discover it. */
  @Column({ type: 'smallint', nullable: true })
  cipher!: number | null;

  @Column({ type: 'timestamptz' })
  updatedAt!: Date;
}
