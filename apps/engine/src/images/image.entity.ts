import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';
import { bigintNumber, inList } from '../common/entities/columns';
import { HostEntity } from '../hosts/host.entity';
import { StorageDomainEntity } from '../storage-domains/storage-domain.entity';

export const IMAGE_KINDS = ['iso', 'disk'] as const;
export type ImageKind = (typeof IMAGE_KINDS)[number];
export const IMAGE_FORMATS = ['iso', 'raw', 'qcow2'] as const;
export type ImageFormat = (typeof IMAGE_FORMATS)[number];
export const IMAGE_STATUSES = ['uploading', 'ready'] as const;
export type ImageStatus = (typeof IMAGE_STATUSES)[number];

/** An image in a storage domain: an ISO of its library, or a disk image being uploaded. The bytes
 * live in the volume `volumeName` of the domain's pool; `receivedBytes` is how far the upload got. */
@Entity('image')
@Unique('uq_image_storage_domain_name', ['storageDomainId', 'name'])
@Unique('uq_image_storage_domain_volume', ['storageDomainId', 'volumeName'])
@Check('ck_image_kind', inList('kind', IMAGE_KINDS))
@Check('ck_image_format', inList('format', IMAGE_FORMATS))
@Check('ck_image_status', inList('status', IMAGE_STATUSES))
@Check('ck_image_received', '"received_bytes" BETWEEN 0 AND "size_bytes"')
export class ImageEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_image' })
  id!: string;

  @Column('uuid')
  storageDomainId!: string;

  @ManyToOne(() => StorageDomainEntity, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'storage_domain_id', foreignKeyConstraintName: 'fk_image_storage_domain' })
  storageDomain?: StorageDomainEntity;

  @Column({ type: 'varchar', length: 255 })
  name!: string;

  @Column({ type: 'varchar', length: 8 })
  kind!: ImageKind;

  @Column({ type: 'varchar', length: 8 })
  format!: ImageFormat;

  @Column({ type: 'bigint', transformer: bigintNumber })
  sizeBytes!: number;

  @Column({ type: 'bigint', default: 0, transformer: bigintNumber })
  receivedBytes!: number;

  @Column({ type: 'bigint', nullable: true, transformer: bigintNumber })
  virtualSizeBytes!: number | null;

  /** The checksum the uploader announced (verified at the end), then the one computed on the host. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  sha256!: string | null;

  @Column({ type: 'varchar', length: 16, default: 'uploading' })
  status!: ImageStatus;

  @Column({ type: 'varchar', length: 128 })
  volumeName!: string;

  /** The volume's path on the hosts, once a host created it. */
  @Column({ type: 'varchar', length: 1024, nullable: true })
  path!: string | null;

  /** The host that received the last bytes (for a host-local domain, the only one that has them). */
  @Column({ type: 'uuid', nullable: true })
  hostId!: string | null;

  @ManyToOne(() => HostEntity, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'host_id', foreignKeyConstraintName: 'fk_image_host' })
  host?: HostEntity | null;

  @Column({ type: 'varchar', length: 255 })
  createdBy!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
