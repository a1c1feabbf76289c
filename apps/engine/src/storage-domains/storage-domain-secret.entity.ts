import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { StorageDomainEntity } from './storage-domain.entity';

/**
 * A storage domain's authentication secret (an iSCSI CHAP secret), sealed by the engine's SecretBox:
 * never in clear in the database, never in an API response (a table of its own, not a column the
 * domain's serializer could leak). `secretUuid` is the libvirt secret every host defines for it.
 */
@Entity('storage_domain_secret')
export class StorageDomainSecretEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_storage_domain_secret' })
  storageDomainId!: string;

  @OneToOne(() => StorageDomainEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'storage_domain_id', foreignKeyConstraintName: 'fk_storage_domain_secret_domain' })
  storageDomain?: StorageDomainEntity;

  @Column('uuid')
  secretUuid!: string;

  /** Sealed by SecretBox (`v1:…`), the domain id bound to it. */
  @Column({ type: 'varchar', length: 2048 })
  sealed!: string;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
