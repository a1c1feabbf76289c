import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { HostEntity } from '../hosts/host.entity';

/** A host's Redis identity: its ACL user and the SHA-256 of its password (the password itself exists
 * only on the host). Kept so the engine can re-create the ACL user when Redis lost it (restart
 * without an ACL file). Deleted with the host or when its credentials are revoked. */
@Entity('host_credential')
export class HostCredentialEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_host_credential' })
  hostId!: string;

  @OneToOne(() => HostEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'host_id', foreignKeyConstraintName: 'fk_host_credential_host' })
  host?: HostEntity;

  @Column({ type: 'varchar', length: 160 })
  redisUser!: string;

  @Column({ type: 'char', length: 64 })
  passwordSha256!: string;

  @Column({ type: 'timestamptz' })
  issuedAt!: Date;
}
