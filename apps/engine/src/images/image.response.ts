import { ApiProperty } from '@nestjs/swagger';
import { ImageEntity } from './image.entity';

export class ImageResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) storageDomainId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['iso', 'disk'] }) kind!: 'iso' | 'disk';
  @ApiProperty({ enum: ['iso', 'raw', 'qcow2'] }) format!: 'iso' | 'raw' | 'qcow2';
  @ApiProperty({ enum: ['uploading', 'ready'] }) status!: 'uploading' | 'ready';
  @ApiProperty({ description: 'Bytes of the file.' }) sizeBytes!: number;
  @ApiProperty({ description: 'Bytes the host has written: the offset to resume from.' })
  receivedBytes!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'qemu-img virtual size, once checked.' })
  virtualSizeBytes!: number | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'SHA-256: announced while uploading, computed once ready.',
  })
  sha256!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The volume on the hosts.' }) path!:
    string | null;
  @ApiProperty({ description: 'Where to PATCH the bytes (tus: Upload-Offset header).' }) uploadUrl!: string;
  @ApiProperty() createdBy!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export const mapImage = (e: ImageEntity): ImageResponse => ({
  id: e.id,
  storageDomainId: e.storageDomainId,
  name: e.name,
  kind: e.kind,
  format: e.format,
  status: e.status,
  sizeBytes: e.sizeBytes,
  receivedBytes: e.receivedBytes,
  virtualSizeBytes: e.virtualSizeBytes,
  sha256: e.sha256,
  path: e.path,
  uploadUrl: `/api/v1/storage-domains/${e.storageDomainId}/images/${e.id}/content`,
  createdBy: e.createdBy,
  createdAt: new Date(e.createdAt).toISOString(),
  updatedAt: new Date(e.updatedAt).toISOString(),
});
