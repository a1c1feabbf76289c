import { StorageDomainStatus, StorageDomainType, values } from '@kelpie/shared-types';
import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { ListQueryDto } from '../common/list/list-query';
import { ABSOLUTE_PATH, IsDescription, IsHostAddress, IsName } from '../common/validation/validators';
import { hasNoPath } from './domain-kinds';
import { IsStoragePath } from './storage-path';

const HOST_PORT = /^[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?$|^\[[0-9A-Fa-f:.]{2,45}\](:[0-9]{1,5})?$/;

/** Connection of a storage domain; which fields are required depends on its type (checked by the service). */
export class StorageConnectionDto {
  @ApiPropertyOptional({ description: 'nfs: server name or address' })
  @IsOptional()
  @IsString()
  @MaxLength(253)
  @IsHostAddress()
  server?: string;

  @ApiPropertyOptional({ description: 'nfs: exported path', example: '/exports/kelpie' })
  @IsOptional()
  @IsString()
  @Matches(ABSOLUTE_PATH, { message: 'export must be an absolute path without ".." segments' })
  export?: string;

  @ApiPropertyOptional({ description: 'iscsi: portal host[:port]' })
  @IsOptional()
  @IsString()
  @Matches(HOST_PORT, { message: 'portal must be host or host:port' })
  portal?: string;

  @ApiPropertyOptional({ description: 'iscsi: target IQN', example: 'iqn.2024-01.org.example:storage' })
  @IsOptional()
  @IsString()
  @MaxLength(223)
  @Matches(/^iqn\.[0-9]{4}-[0-9]{2}\.[A-Za-z0-9.-]+(:[A-Za-z0-9._:-]+)?$/, {
    message: 'target must be an iSCSI IQN',
  })
  target?: string;

  @ApiPropertyOptional({ description: 'iscsi: CHAP user name (with chapSecret)' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_.@:-]{1,64}$/, {
    message: 'chapUser must be 1-64 of letters, digits, "_", ".", "@", ":" or "-"',
  })
  chapUser?: string;

  @ApiPropertyOptional({
    description:
      'iscsi: CHAP secret (12-255 printable characters). Write-only: stored sealed, never returned, ' +
      'defined on each host as a private libvirt secret.',
    writeOnly: true,
  })
  @IsOptional()
  @IsString()
  @Matches(/^[\x21-\x7e]{12,255}$/, {
    message: 'chapSecret must be 12-255 printable characters without spaces (RFC 3720 asks for at least 12)',
  })
  chapSecret?: string;

  @ApiPropertyOptional({ description: 'iscsi: LUN', minimum: 0, maximum: 16383 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(16383)
  lun?: number;

  @ApiPropertyOptional({ description: 'rbd: monitors host[:port]', type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(16)
  @IsString({ each: true })
  @Matches(HOST_PORT, { each: true, message: 'each monitor must be host or host:port' })
  monitors?: string[];

  @ApiPropertyOptional({ description: 'rbd: pool' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_.-]{1,64}$/, { message: 'pool must be 1-64 of letters, digits, "_", "." or "-"' })
  pool?: string;

  @ApiPropertyOptional({ description: 'rbd: cephx user, without "client."', example: 'kelpie' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_.-]{1,64}$/, { message: 'user must be 1-64 of letters, digits, "_", "." or "-"' })
  user?: string;

  @ApiPropertyOptional({
    description:
      "rbd: the cephx user's key (base64, as in its keyring). Write-only: stored sealed, never " +
      'returned, defined on each host as a private libvirt secret.',
    writeOnly: true,
  })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9+/]{16,256}={0,2}$/, { message: 'key must be a base64 cephx key' })
  key?: string;

  @ApiPropertyOptional({ description: 'lvm: volume group' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_.+-]{1,64}$/, { message: 'volumeGroup must be an LVM volume group name' })
  volumeGroup?: string;

  @ApiPropertyOptional({ description: 'nfs: mount options', example: 'vers=4.2,soft' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9=,._-]{1,256}$/, { message: 'options must be comma-separated mount options' })
  options?: string;
}

export class CreateStorageDomainDto {
  @IsName()
  name!: string;

  @IsOptional()
  @IsDescription()
  description?: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID('all')
  datacenterId!: string;

  @ApiProperty({ enum: values(StorageDomainType) })
  @IsIn(values(StorageDomainType))
  type!: StorageDomainType;

  @ApiPropertyOptional({
    description:
      'Where hosts find the volumes (mount point or directory). Not for iscsi and rbd domains, whose volumes are LUNs or RBD images.',
    example: '/var/lib/kelpie/images',
  })
  @ValidateIf((o: CreateStorageDomainDto) => !hasNoPath(o.type) || o.path !== undefined)
  @IsString()
  @Matches(ABSOLUTE_PATH, { message: 'path must be an absolute path without ".." segments' })
  @IsStoragePath()
  path?: string;

  @ApiPropertyOptional({ type: StorageConnectionDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => StorageConnectionDto)
  connection?: StorageConnectionDto;
}

export class UpdateStorageDomainDto extends PartialType(
  OmitType(CreateStorageDomainDto, ['datacenterId', 'type'] as const),
) {}

export class StorageDomainListQuery extends ListQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  datacenterId?: string;

  @ApiPropertyOptional({ enum: values(StorageDomainType) })
  @IsOptional()
  @IsIn(values(StorageDomainType))
  type?: StorageDomainType;

  @ApiPropertyOptional({ enum: values(StorageDomainStatus) })
  @IsOptional()
  @IsIn(values(StorageDomainStatus))
  status?: StorageDomainStatus;
}
