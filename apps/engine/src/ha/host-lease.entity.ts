import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { HostEntity } from '../hosts/host.entity';

/**
 * What other hosts see of a host's lease records on the shared storage (ADR 0037), in engine time:
 * never the host's own word, so a host whose agent is dead is still judged.
 */
@Entity('host_lease')
export class HostLeaseEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_host_lease' })
  hostId!: string;

  @OneToOne(() => HostEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'host_id', foreignKeyConstraintName: 'fk_host_lease_host' })
  host?: HostEntity;

  /** The latest renewal another host saw happen (the record changed under its eyes); null: none seen. */
  @Column({ type: 'timestamptz', nullable: true })
  renewedAt!: Date | null;

  /** Since when, by the latest look, the record has not changed (a renewal, or the first look). */
  @Column({ type: 'timestamptz' })
  unchangedSince!: Date;

  /** The latest look at the record by another host, and which host looked. */
  @Column({ type: 'timestamptz' })
  checkedAt!: Date;

  @Column('uuid')
  checkedBy!: string;
}
